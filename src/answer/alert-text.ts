// What an alert says, in English and in Spanish: the dashboard shows it and TAK clients get it as
// the marker's remarks, so a soldier or agent on either side of the line can read it.
import { partnerAlertMessage } from './partner-alert-text.js';
import { formatDistance, territoryName, type Lang } from './sentence.js';
import type { Alert } from '../model/index.js';

/** The unit as a person knows it: its callsign when it has one, else its id. */
function who(alert: Alert): string {
  return alert.name ?? alert.unit;
}

function otherWho(alert: Alert): string | undefined {
  return alert.otherName ?? alert.otherUnit;
}

/** The device's own name for the emergency, quoted as it sent it: ` ("911 Alert")`. */
function said(alert: Alert): string {
  return alert.emergency ? ` (${JSON.stringify(alert.emergency)})` : '';
}

/** A device time to the minute, in UTC: "2026-12-07 10:02 UTC". */
function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function distance(alert: Alert, lang: Lang): string {
  return formatDistance(alert.determination.boundary.distanceM, lang);
}

function english(alert: Alert): string {
  const d = alert.determination;
  const here = territoryName(d.territory, 'en');
  const late = alert.late ? ' (found from a late report)' : '';
  switch (alert.kind) {
    case 'approach':
      return `${who(alert)} is ${distance(alert, 'en')} from the boundary, in ${here}${late}.`;
    case 'crossing': {
      const from = territoryName(alert.from ?? d.boundary.otherTerritory, 'en');
      const to = territoryName(alert.to ?? d.territory, 'en');
      const sure = alert.confirmed === false ? ' (not yet confirmed beyond 3 sigma)' : '';
      return `${who(alert)} crossed the boundary from ${from} into ${to}, now ${distance(alert, 'en')} past the line${sure}${late}.`;
    }
    case 'entered-strip':
      return `${who(alert)} entered the strip between the fence and the boundary, ${distance(alert, 'en')} from the line${late}.`;
    case 'left-strip':
      return `${who(alert)} left the strip between the fence and the boundary${late}.`;
    case 'proximity': {
      const apart = alert.unitDistanceM === undefined ? '' : ` (${formatDistance(alert.unitDistanceM, 'en')} apart)`;
      return `${who(alert)} is close to ${otherWho(alert) ?? 'another unit'}${apart} near the boundary${late}.`;
    }
    case 'stale':
      return `No report from ${who(alert)} lately; last seen ${distance(alert, 'en')} from the boundary, in ${here}.`;
    case 'emergency':
      return alert.lastKnownTime === undefined
        ? `EMERGENCY: ${who(alert)} declared an emergency${said(alert)}, ${distance(alert, 'en')} from the boundary, in ${here}${late}.`
        : `EMERGENCY: ${who(alert)} declared an emergency${said(alert)} with no position; last known ${distance(alert, 'en')} from the boundary, in ${here}, at ${utcMinute(alert.lastKnownTime)}${late}.`;
    case 'emergency-cancelled':
      return alert.lastKnownTime === undefined
        ? `${who(alert)} cancelled the emergency${said(alert)}; ${distance(alert, 'en')} from the boundary, in ${here}${late}.`
        : `${who(alert)} cancelled the emergency${said(alert)} with no position; last known ${distance(alert, 'en')} from the boundary, in ${here}, at ${utcMinute(alert.lastKnownTime)}${late}.`;
  }
}

function spanish(alert: Alert): string {
  const d = alert.determination;
  const here = territoryName(d.territory, 'es');
  const late = alert.late ? ' (detectado por un reporte tardío)' : '';
  switch (alert.kind) {
    case 'approach':
      return `${who(alert)} está a ${distance(alert, 'es')} del límite, en ${here}${late}.`;
    case 'crossing': {
      const from = territoryName(alert.from ?? d.boundary.otherTerritory, 'es');
      const to = territoryName(alert.to ?? d.territory, 'es');
      const sure = alert.confirmed === false ? ' (aún sin confirmar a 3 sigma)' : '';
      return `${who(alert)} cruzó el límite de ${from} a ${to}; está a ${distance(alert, 'es')} de la línea${sure}${late}.`;
    }
    case 'entered-strip':
      return `${who(alert)} entró en la franja entre la cerca y el límite, a ${distance(alert, 'es')} de la línea${late}.`;
    case 'left-strip':
      return `${who(alert)} salió de la franja entre la cerca y el límite${late}.`;
    case 'proximity': {
      const apart = alert.unitDistanceM === undefined ? '' : ` (a ${formatDistance(alert.unitDistanceM, 'es')})`;
      return `${who(alert)} está cerca de ${otherWho(alert) ?? 'otra unidad'}${apart} junto al límite${late}.`;
    }
    case 'stale':
      return `Sin reportes de ${who(alert)} recientemente; última posición a ${distance(alert, 'es')} del límite, en ${here}.`;
    case 'emergency':
      return alert.lastKnownTime === undefined
        ? `EMERGENCIA: ${who(alert)} declaró una emergencia${said(alert)}, a ${distance(alert, 'es')} del límite, en ${here}${late}.`
        : `EMERGENCIA: ${who(alert)} declaró una emergencia${said(alert)} sin posición; última conocida a ${distance(alert, 'es')} del límite, en ${here}, a las ${utcMinute(alert.lastKnownTime)}${late}.`;
    case 'emergency-cancelled':
      return alert.lastKnownTime === undefined
        ? `${who(alert)} canceló la emergencia${said(alert)}; a ${distance(alert, 'es')} del límite, en ${here}${late}.`
        : `${who(alert)} canceló la emergencia${said(alert)} sin posición; última conocida a ${distance(alert, 'es')} del límite, en ${here}, a las ${utcMinute(alert.lastKnownTime)}${late}.`;
  }
}

/** The alert as one sentence in the language. */
export function alertMessage(alert: Alert, lang: Lang): string {
  const partner = partnerAlertMessage(alert, lang);
  if (partner !== null) return partner;
  return lang === 'es' ? spanish(alert) : english(alert);
}
