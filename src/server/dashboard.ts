import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Layers } from '../geo/index.js';

export interface DashboardOptions {
  layers: Layers;
  /** Folder of the built web app. Default: web/dist beside src/ or dist/. */
  webRoot?: string;
  /** Who is signed in on a request (beyond loopback), so the dashboard can offer to sign out. */
  signedInAs?: (request: FastifyRequest) => Promise<string | null>;
}

/** What the map needs to know about the loaded layers before the first API call: where to look and what to credit. */
export interface DashboardConfig {
  /** [west, south, east, north] of the boundary, degrees. */
  bbox: [number, number, number, number];
  territories: string[];
  boundaries: { name: string; left: string; right: string; provenance: string | null }[];
  fences: { name: string; territory: string; illustrative: boolean; provenance: string | null }[];
  /** The operator signed in on this browser, or null (on loopback nobody signs in). */
  signed_in_as?: string | null;
}

// Both src/server/dashboard.ts (tsx) and dist/server/dashboard.js (built) sit two levels below the package root.
const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Serves the dashboard at `/`, the position card at `/card` and the map's local assets (basemap, glyphs). */
export async function dashboardPlugin(app: FastifyInstance, opts: DashboardOptions): Promise<void> {
  const root = opts.webRoot ?? DEFAULT_WEB_ROOT;
  const config = dashboardConfig(opts.layers);
  app.get('/dashboard/config.json', async (request) => ({ ...config, signed_in_as: (await opts.signedInAs?.(request)) ?? null }));

  if (!existsSync(`${root}/index.html`)) {
    const notBuilt = async (_req: unknown, reply: FastifyReply) =>
      reply.code(503).type('text/plain; charset=utf-8')
        .send(`The dashboard is not built: ${root}index.html is missing. Run "npm run build:web".\n`);
    app.get('/', notBuilt);
    app.get('/card', notBuilt);
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    cacheControl: false,
    // Hashed asset names never change content; the pages themselves must always be re-read.
    setHeaders: (res, path) => {
      res.setHeader('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/card', async (_req, reply) => reply.type('text/html; charset=utf-8').sendFile('card.html'));
}

/** Bounding box and credits of the loaded layers. */
export function dashboardConfig(layers: Layers): DashboardConfig {
  const { lonDeg, latDeg } = layers.boundary;
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  for (let i = 0; i < lonDeg.length; i++) {
    if (lonDeg[i] < west) west = lonDeg[i];
    if (lonDeg[i] > east) east = lonDeg[i];
    if (latDeg[i] < south) south = latDeg[i];
    if (latDeg[i] > north) north = latDeg[i];
  }
  return {
    bbox: [west, south, east, north],
    territories: layers.territories,
    boundaries: layers.boundaryInfo.map((b) => ({ name: b.name, left: b.left, right: b.right, provenance: b.provenance ?? null })),
    fences: layers.fenceInfo.map((f) => ({ name: f.name, territory: f.territory, illustrative: f.illustrative, provenance: f.provenance ?? null })),
  };
}
