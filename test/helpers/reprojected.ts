// Checks a layer read back from a projected file against the longitude/latitude it was drawn from.
import assert from 'node:assert/strict';
import type { Feature, Geometry, Position } from 'geojson';
import geodesicLib from 'geographiclib-geodesic';

const geod = geodesicLib.Geodesic.WGS84;

/** The paths (lines and rings) of a geometry, in order; a point is a path of one. */
function paths(g: Geometry): Position[][] {
  switch (g.type) {
    case 'Point': return [[g.coordinates]];
    case 'MultiPoint': case 'LineString': return [g.coordinates];
    case 'MultiLineString': case 'Polygon': return g.coordinates;
    case 'MultiPolygon': return g.coordinates.flat();
    case 'GeometryCollection': return g.geometries.flatMap(paths);
  }
}

/**
 * Every vertex the features were drawn with is in the read features, in order, within 1 mm (GeographicLib);
 * returns how many vertices were added between them (segments divided to stay where they were drawn).
 */
export function assertSameVertices(read: Feature[], drawn: Feature[]): number {
  assert.equal(read.length, drawn.length);
  let added = 0;
  read.forEach((feature, i) => {
    const got = paths(feature.geometry), want = paths(drawn[i].geometry);
    assert.equal(got.length, want.length, `feature ${i}: paths`);
    got.forEach((path, j) => {
      let k = 0;
      for (const vertex of path) {
        const target = want[j][k];
        if (target && (geod.Inverse(target[1], target[0], vertex[1], vertex[0]).s12 as number) < 0.001) k++;
        else added++;
      }
      assert.equal(k, want[j].length, `feature ${i} path ${j}: ${k} of its ${want[j].length} vertices found in order`);
    });
  });
  return added;
}
