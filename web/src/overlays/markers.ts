// Markers that TAK clients share (spot markers, placed points): drawn as diamonds, never as units. The
// stream brings each one as it is heard; the list is read again now and then to let stale ones go.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { api } from '../api/client.js';
import type { MarkerJson } from '../api/types.js';
import { OVERLAY_SOURCE } from './style.js';

export const MARKER_POLL_MS = 30_000;

export class MarkerLayer {
  private markers: MarkerJson[] = [];
  private timer = 0;

  constructor(private readonly map: MapLibreMap) {}

  get list(): readonly MarkerJson[] {
    return this.markers;
  }

  find(uid: string): MarkerJson | undefined {
    return this.markers.find((m) => m.uid === uid);
  }

  async start(): Promise<void> {
    await this.refresh().catch(() => {});
    window.clearInterval(this.timer);
    this.timer = window.setInterval(() => void this.refresh().catch(() => {}), MARKER_POLL_MS);
  }

  async refresh(): Promise<void> {
    this.markers = await api.markers();
    this.draw();
  }

  /** A marker heard now (from the stream): the latest per uid. */
  put(marker: MarkerJson): void {
    this.markers = [...this.markers.filter((m) => m.uid !== marker.uid), marker];
    this.draw();
  }

  private draw(): void {
    void (this.map.getSource(OVERLAY_SOURCE.markers) as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: this.markers.map((m) => ({
        type: 'Feature',
        properties: { uid: m.uid, type: m.type, label: m.name ?? m.uid },
        geometry: { type: 'Point', coordinates: [m.lon, m.lat] },
      })),
    });
  }
}
