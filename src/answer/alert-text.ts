// What an alert says, in English and in Spanish: the dashboard shows it and TAK clients get it as
// the marker's remarks, so a soldier or agent on either side of the line can read it.
import { partnerAlertMessage } from './partner-alert-text.js';
import { emergencyName, formatDistance, territoryName, type Lang } from './sentence.js';
import type { Alert } from '../model/index.js';

/** The unit as a person knows it: its callsign when it has one, else its id. */
function who(alert: Alert): string {
  return alert.name ?? alert.unit;
}

function otherWho(alert: Alert): string | undefined {
  return alert.otherName ?? alert.otherUnit;
}

/** A device time to the minute, in UTC: "2026-12-07 10:02 UTC". */
function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Where an emergency alert places the unit, after what was declared: `separator` and the distance and side;
 * or, when its report had no position, the unit's last known ones and when.
 */
function emergencyPlace(alert: Alert, separator: string, lang: Lang): string {
  const here = territoryName(alert.determination.territory, lang);
  if (lang === 'es') {
    return alert.lastKnownTime === undefined
      ? `${separator} a ${distance(alert, 'es')} del límite, en ${here}`
      : ` sin posición; última conocida a ${distance(alert, 'es')} del límite, en ${here}, a las ${utcMinute(alert.lastKnownTime)}`;
  }
  return alert.lastKnownTime === undefined
    ? `${separator} ${distance(alert, 'en')} from the boundary, in ${here}`
    : ` with no position; last known ${distance(alert, 'en')} from the boundary, in ${here}, at ${utcMinute(alert.lastKnownTime)}`;
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
      return `EMERGENCY: ${who(alert)} declared an emergency${emergencyName(alert.emergency)}${emergencyPlace(alert, ',', 'en')}${late}.`;
    case 'emergency-cancelled':
      return `${who(alert)} cancelled the emergency${emergencyName(alert.emergency)}${emergencyPlace(alert, ';', 'en')}${late}.`;
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
      return `EMERGENCIA: ${who(alert)} declaró una emergencia${emergencyName(alert.emergency)}${emergencyPlace(alert, ',', 'es')}${late}.`;
    case 'emergency-cancelled':
      return `${who(alert)} canceló la emergencia${emergencyName(alert.emergency)}${emergencyPlace(alert, ';', 'es')}${late}.`;
  }
}

/** The alert as one sentence in the language. */
export function alertMessage(alert: Alert, lang: Lang): string {
  const partner = partnerAlertMessage(alert, lang);
  if (partner !== null) return partner;
  return lang === 'es' ? spanish(alert) : english(alert);
}
