// Layers for the field tests: the default boundary, and an illustrative fence about 170 m north of the
// Rio Grande near Clint (the river's own line moved north), as GeoJSON and as KML.
import type { FeatureCollection } from 'geojson';
import { buildLayers, type Layers } from '../../src/geo/index.js';
import { loadDefaultBoundary } from '../../src/layers/node.js';

const boundary = loadDefaultBoundary();

/** Fence vertices: the boundary between 106.32°W and 106.14°W, 0.0015° (about 166 m) further north. */
export function clintFenceCoordinates(): [number, number][] {
  const line = (boundary.features[0].geometry as unknown as { coordinates: [number, number][] }).coordinates;
  return line.filter(([lon, lat]) => lon > -106.32 && lon < -106.14 && Math.abs(lat - 31.5) < 0.12).map(([lon, lat]) => [lon, lat + 0.0015]);
}

export function clintFence(): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: [{
      type: 'Feature',
      properties: { name: 'Clint test fence', illustrative: true },
      geometry: { type: 'LineString', coordinates: clintFenceCoordinates() },
    }],
  };
}

export function clintFenceKml(): string {
  const coordinates = clintFenceCoordinates().map(([lon, lat]) => `${lon},${lat}`).join(' ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>Fences near Clint</name>
    <Placemark>
      <name>Clint test fence</name>
      <ExtendedData><Data name="illustrative"><value>true</value></Data></ExtendedData>
      <LineString><coordinates>${coordinates}</coordinates></LineString>
    </Placemark>
  </Document>
</kml>
`;
}

export function defaultLayers(withFence = false): Layers {
  return buildLayers(boundary, withFence ? clintFence() : null, { boundaryFile: 'default', fenceFile: withFence ? 'clint-fence.geojson' : undefined });
}
