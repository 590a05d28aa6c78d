// What alerts about partner units say, in English and Spanish: which side of the legal line each unit
// is on, how far from it, and how far apart they are, with the precision the partner shared at.
import { emergencyName, formatDistance, territoryName, type Lang } from './sentence.js';
import type { Alert, PartnerProximityAlert } from '../model/index.js';

/** What a partner's shared alert says (its wire record, share/records.ts), as far as the sentence needs. */
export interface SharedAlertFacts {
  alert_kind: string;
  unit: string;
  territory: string | null;
  from?: string;
  to?: string;
  other_unit?: string;
  emergency?: string;
}

export function isPartnerProximityAlert(alert: Alert): alert is PartnerProximityAlert {
  const a = alert as Partial<PartnerProximityAlert>;
  return alert.kind === 'proximity' && typeof a.partner === 'string' && typeof a.partnerUnit === 'string' && (typeof a.partnerTerritory === 'string' || a.partnerTerritory === null);
}

/**
 * How far a partner's unit is from the line, no more precisely than it was shared: its shared position is
 * the centre of a cell, the unit anywhere within `precision` of it. When the least distance that allows is
 * zero, the one thing known is the most: "within 354 m of the line", never "at least 0 cm from it".
 */
export function sharedLineDistance(leastM: number, mostM: number, lang: Lang): string {
  const most = formatDistance(mostM, lang);
  if (leastM <= 0) return lang === 'es' ? `a menos de ${most} de la línea` : `within ${most} of the line`;
  const least = formatDistance(leastM, lang);
  return lang === 'es' ? `entre ${least} y ${most} de la línea` : `${least} to ${most} from the line`;
}

/** The sentence for a proximity alert between a home unit and a partner unit, or null for any other alert. */
export function partnerAlertMessage(alert: Alert, lang: Lang): string | null {
  if (!isPartnerProximityAlert(alert)) return null;
  const d = alert.determination;
  const here = territoryName(d.territory, lang);
  const there = territoryName(alert.partnerTerritory, lang);
  const line = formatDistance(d.boundary.distanceM, lang);
  const theirLine = alert.partnerPrecisionM > 0
    ? sharedLineDistance(alert.partnerBoundaryDistanceM, alert.partnerBoundaryMaxM ?? alert.partnerBoundaryDistanceM + 2 * alert.partnerPrecisionM, lang)
    : lang === 'es' ? `a ${formatDistance(alert.partnerBoundaryDistanceM, lang)} de la línea` : `${formatDistance(alert.partnerBoundaryDistanceM, lang)} from the line`;
  const apart = formatDistance(alert.unitDistanceM ?? 0, lang);
  const precision = alert.partnerPrecisionM > 0 ? formatDistance(alert.partnerPrecisionM, lang) : null;
  if (lang === 'es') {
    const shared = precision ? ` (posición compartida con ±${precision})` : '';
    const late = alert.late ? ' (detectado por un reporte tardío)' : '';
    return `${alert.unit} está cerca de la unidad ${alert.partnerUnit} de ${alert.partner}: ${alert.unit} está en ${here}, a ${line} de la línea; ` +
      `${alert.partnerUnit} está en ${there}, ${theirLine}${shared}. Distancia entre ambas: ${apart}${late}.`;
  }
  const shared = precision ? ` (position shared to ±${precision})` : '';
  const late = alert.late ? ' (found from a late report)' : '';
  return `${alert.unit} is close to ${alert.partner} unit ${alert.partnerUnit}: ${alert.unit} is in ${here}, ${line} from the line; ` +
    `${alert.partnerUnit} is in ${there}, ${theirLine}${shared}. They are ${apart} apart${late}.`;
}

/** An alert a partner shared, as its operators' report reads on this side. */
export function sharedAlertMessage(partner: string, r: SharedAlertFacts, lang: Lang): string {
  const side = territoryName(r.territory, lang);
  const from = territoryName(r.from ?? '', lang);
  const to = territoryName(r.to ?? r.territory, lang);
  const other = r.other_unit ? r.other_unit : lang === 'es' ? 'otra unidad' : 'another unit';
  const said = emergencyName(r.emergency);
  if (lang === 'es') {
    const what = r.alert_kind === 'approach' ? `se acerca al límite, en ${side}`
      : r.alert_kind === 'crossing' ? `cruzó el límite${r.from ? ` de ${from}` : ''} a ${to}`
        : r.alert_kind === 'emergency' ? `declaró una EMERGENCIA${said}, en ${side}`
          : r.alert_kind === 'emergency-cancelled' ? `canceló su emergencia${said}, en ${side}`
            : `está cerca de ${other}, en ${side}`;
    return `${partner} informa: su unidad ${r.unit} ${what}.`;
  }
  const what = r.alert_kind === 'approach' ? `is approaching the boundary, in ${side}`
    : r.alert_kind === 'crossing' ? `crossed the boundary${r.from ? ` from ${from}` : ''} into ${to}`
      : r.alert_kind === 'emergency' ? `declared an EMERGENCY${said}, in ${side}`
        : r.alert_kind === 'emergency-cancelled' ? `cancelled its emergency${said}, in ${side}`
          : `is close to ${other}, in ${side}`;
  return `${partner} reports: its unit ${r.unit} ${what}.`;
}
