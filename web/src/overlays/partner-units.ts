// Partners' units on the map, apart from home units: each at the position the partner shared, with a
// circle of the precision it was coarsened to and a label saying whose it is and how late it is shared.
import type { Feature, Point } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { PartnerUnitJson } from '../api/types.js';
import { formatDistance } from '../format.js';
import { currentLang, t } from '../i18n/i18n.js';
import { cosLat } from '../map/metres.js';
import { OVERLAY_SOURCE } from './style.js';

/**
 * The side a partner's unit is on, as the partner stated it from the exact position. The shared position is
 * coarsened (a grid cell's centre may lie across the line from the unit), so classifying it here would guess.
 */
export const sharedTerritory = (u: PartnerUnitJson): string | null => u.territory ?? u.last_fix.determination.territory;

const keyOf = (unit: string, partner: string) => `${unit}@${partner}`;

/** "halcon-3 · SEDENA · ±500 m · 2 min late" in the chosen language. */
export function partnerUnitLabel(u: PartnerUnitJson): string {
  const lang = currentLang();
  return t('partnerUnit.label', {
    unit: u.unit, partner: u.partner, precision: formatDistance(u.precision_m, lang), delay: delayText(u.delay_s),
  });
}

/** A sharing delay as a person says it: "no delay", "30 s late", "2 min late". */
export function delayText(delayS: number): string {
  if (delayS <= 0) return t('partnerUnit.noDelay');
  if (delayS < 120) return t('partnerUnit.delaySeconds', { seconds: delayS.toLocaleString(currentLang()) });
  return t('partnerUnit.delayMinutes', { minutes: Math.round(delayS / 60).toLocaleString(currentLang()) });
}

export class PartnerUnits {
  private readonly units = new Map<string, PartnerUnitJson>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly map: MapLibreMap) {}

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Every partner unit shared now (first load, or after the stream reconnects). */
  reset(units: PartnerUnitJson[]): void {
    this.units.clear();
    for (const u of units) this.units.set(keyOf(u.unit, u.partner), u);
    this.changed();
  }

  put(u: PartnerUnitJson): void {
    const known = this.units.get(keyOf(u.unit, u.partner));
    if (known && known.last_fix.time_ms > u.last_fix.time_ms) return;
    this.units.set(keyOf(u.unit, u.partner), u);
    this.changed();
  }

  remove(partner: string, unit: string): void {
    if (this.units.delete(keyOf(unit, partner))) this.changed();
  }

  /** A partner's unit named as the server names it in alerts: "UNIT@PARTNER". */
  byAlertName(otherUnit: string): PartnerUnitJson | undefined {
    return this.units.get(otherUnit);
  }

  of(partner: string): PartnerUnitJson[] {
    return [...this.units.values()].filter((u) => u.partner === partner).sort((a, b) => a.unit.localeCompare(b.unit));
  }

  /** Redraws the labels (after a change of language). */
  render(): void {
    const features: Feature<Point>[] = [...this.units.values()].map((u) => ({
      type: 'Feature',
      id: keyOf(u.unit, u.partner),
      properties: {
        unit: u.unit, partner: u.partner, precision_m: u.precision_m, delay_s: u.delay_s,
        territory: sharedTerritory(u) ?? 'outside', cos_lat: cosLat(u.last_fix.lat), label: partnerUnitLabel(u),
      },
      geometry: { type: 'Point', coordinates: [u.last_fix.lon, u.last_fix.lat] },
    }));
    void (this.map.getSource(OVERLAY_SOURCE.partnerUnits) as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
  }

  private changed(): void {
    this.render();
    for (const listener of this.listeners) listener();
  }
}
