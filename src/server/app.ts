// The HTTP API as a Fastify app: each feature a plugin with its JSON schemas, under /api/v1,
// behind the key check when the server listens beyond loopback; the dashboard at /.
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Role } from '../trust/index.js';
import type { TimeWindow } from '../ingest/index.js';
import { alertsRoutes } from './routes-alerts.js';
import { acknowledgementsRoutes } from './routes-acks.js';
import fastifyPlugin from 'fastify-plugin';
import { loginPlugin } from './login.js';
import { bearerToken, requireApiKey, requireRole } from './auth.js';
import { rateLimitKey } from './device-auth.js';
import { Sessions } from './sessions.js';
import type { ServerContext } from './context.js';
import { dashboardPlugin } from './dashboard.js';
import { HttpError, installErrorHandlers } from './http-errors.js';
import { incidentsRoutes } from '../incidents/index.js';
import { fixesRoutes } from './routes-fixes.js';
import { INREACH_PATH, INREACH_TOKEN_HEADER, inreachRoutes } from './routes-inreach.js';
import { OWNTRACKS_PATH, owntracksRoutes } from './routes-owntracks.js';
import { layersRoutes } from './routes-layers.js';
import { markersRoutes } from './routes-markers.js';
import { partnersRoutes } from '../share/index.js';
import { streamRoutes } from './stream.js';
import { unitsRoutes } from './routes-units.js';
import { whereRoutes } from './routes-where.js';

export interface AppOptions {
  context: ServerContext;
  /** Require `Authorization: Bearer <key>` on /api/v1 (when listening beyond loopback). */
  authRequired: boolean;
  /** Largest request body, bytes. Default 4 MiB (10,000 fixes of JSON fit in about 2 MiB). */
  bodyLimitBytes?: number;
  /** Requests per second from one address before 429. Default 200. */
  requestsPerSecond?: number;
  /** Time a client has to send a whole request, ms. Default 30 s (slow senders are cut off). */
  requestTimeoutMs?: number;
  /** Bytes queued for a stream client before it is dropped. */
  streamMaxBufferedBytes?: number;
  /** Plausibility window for fix times. */
  time?: TimeWindow;
  logger?: FastifyServerOptions['logger'];
  /** Serve over HTTPS with this certificate and key (PEM); session cookies are then Secure. */
  https?: { certPem: string; keyPem: string };
}

export const API_PREFIX = '/api/v1';

/**
 * Content-Security-Policy for every page and answer: scripts and styles only from this server's own
 * files (no inline code), the map's tiles and glyphs from here too, MapLibre's workers from blob: URLs,
 * nothing may frame these pages. Inline style attributes set from scripts (the CSSOM) are not covered
 * by style-src and stay allowed, as MapLibre positions its markers that way.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  childSrc: ["'self'", 'blob:'],
  fontSrc: ["'self'", 'data:'],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const ctx = options.context;
  const sessions = ctx.trust ? new Sessions(ctx.trust, options.https !== undefined) : undefined;
  const app = Fastify({
    ...(options.https ? { https: { cert: options.https.certPem, key: options.https.keyPem, minVersion: 'TLSv1.2' as const } } : {}),
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? 4 * 1024 * 1024,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    connectionTimeout: options.requestTimeoutMs ?? 30_000,
    routerOptions: { maxParamLength: 512 },
    // One log line per request would drown the log at thousands of fixes per second.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  installErrorHandlers(app);
  await app.register(fastifyHelmet, { contentSecurityPolicy: { directives: CSP_DIRECTIVES }, referrerPolicy: { policy: 'no-referrer' } });
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  await app.register(fastifyRateLimit, {
    global: true,
    max: options.requestsPerSecond ?? 200,
    timeWindow: 1000,
    // A device posting JSON with its token has its own budget; everyone else, their address's.
    keyGenerator: (request) => rateLimitKey(request, bearerToken(request), ctx.trust),
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate-limited', `more than ${context.max} requests per second from this address or device; retry in ${context.after}`),
  });

  const authorize = (request: FastifyRequest, role: Role) => {
    const principal = requireRole(request, role);
    return { name: principal.name, kind: principal.kind };
  };
  await app.register(async (api) => {
    requireApiKey(api, { store: ctx.store, trust: ctx.trust, sessions, required: options.authRequired, devicePaths: [`${API_PREFIX}/fixes`, `${API_PREFIX}${INREACH_PATH}`, `${API_PREFIX}${OWNTRACKS_PATH}`],
      headerTokens: { [`${API_PREFIX}${INREACH_PATH}`]: INREACH_TOKEN_HEADER }, basicPaths: [`${API_PREFIX}${OWNTRACKS_PATH}`] });
    await api.register(whereRoutes, ctx);
    await api.register(fixesRoutes, { ...ctx, time: options.time });
    await api.register(inreachRoutes, { ...ctx, time: options.time });
    await api.register(owntracksRoutes, { ...ctx, time: options.time });
    await api.register(unitsRoutes, ctx);
    await api.register(alertsRoutes, ctx);
    await api.register(acknowledgementsRoutes, ctx);
    await api.register(layersRoutes, ctx);
    await api.register(markersRoutes, ctx);
    await api.register(streamRoutes, { ...ctx, maxBufferedBytes: options.streamMaxBufferedBytes });
    await api.register(incidentsRoutes, { ...ctx, authorize });
    await api.register(partnersRoutes, { share: ctx.share, authorize });
  }, { prefix: API_PREFIX });

  if (ctx.trust && sessions) await app.register(fastifyPlugin(loginPlugin), { trust: ctx.trust, sessions, required: options.authRequired });
  await app.register(dashboardPlugin, { layers: ctx.layers, signedInAs: async (request) => (await sessions?.userOf(request))?.name ?? null });
  // Field mode (the phone app) at /field; imported here so that app.ts needs no other line for it.
  await app.register((await import('./field.js')).fieldPlugin);
  return app;
}
