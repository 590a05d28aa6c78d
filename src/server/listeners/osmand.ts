// The OsmAnd / Traccar Client protocol on its own port (default 5055, as Traccar uses): GET or POST
// with query or form fields, or the JSON body Traccar Client 9+ posts. Any path is accepted, as
// Traccar does, since clients are configured with a bare server URL. 200 only once the fix is stored.
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { parseOsmand, parseTraccarJson, type Fix, type OsmandParams, type TimeWindow } from '../../ingest/index.js';
import type { DeviceCredential, TrustRegistry } from '../../trust/index.js';
import { bearerToken } from '../auth.js';
import { notEnrolled, ownedFixes, rateLimitKey } from '../device-auth.js';
import { HttpError, installErrorHandlers } from '../http-errors.js';
import type { Pipeline } from '../../live/index.js';
import { ERROR_RESPONSES } from '../../answer/schemas.js';

export interface OsmandOptions {
  host: string;
  port: number;
  /** Largest body, bytes. Default 1 MiB (a Traccar Client batch of a few thousand locations). */
  bodyLimitBytes?: number;
  /**
   * Requests per second before 429: from one enrolled device (its token in the URL or an Authorization
   * header), else from one address. Default 50.
   */
  requestsPerSecond?: number;
  requestTimeoutMs?: number;
  time?: TimeWindow;
  logger: FastifyBaseLogger;
  /** Whether a fix may come without a device token (loopback, or --allow-open-devices). Default true. */
  devicesOpen?: boolean;
  /** Where device tokens are checked; without it, every token is refused. */
  trust?: TrustRegistry;
}

const field = (description: string) => Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 8 })], { description }));

// Documents the fields lindero reads; others (batt, charge, custom attributes) are allowed and ignored.
const OsmandFields = Type.Object({
  id: field('unit id (or deviceid)'),
  lat: field('latitude, decimal degrees'),
  lon: field('longitude, decimal degrees'),
  timestamp: field('epoch seconds, epoch ms or ISO 8601 with a zone'),
  speed: field('knots'),
  bearing: field('degrees'),
  altitude: field('metres'),
  accuracy: field('1-sigma horizontal accuracy, metres'),
  hdop: field('horizontal dilution of precision'),
  batt: field('battery level (ignored)'),
  token: field('the device token from `lindero device add` (required beyond loopback)'),
}, { additionalProperties: true });

function fixesFrom(request: FastifyRequest, time: TimeWindow | undefined): Fix[] {
  const body = request.body;
  const query = request.query as OsmandParams;
  if (request.headers['content-type']?.includes('json')) return parseTraccarJson(body, { time });
  const form = body && typeof body === 'object' ? (body as OsmandParams) : {};
  return [parseOsmand({ ...query, ...form }, { time })];
}

export async function buildOsmandApp(options: OsmandOptions, pipeline: Pipeline): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    connectionTimeout: options.requestTimeoutMs ?? 30_000,
    logController: new LogController({ disableRequestLogging: true }),
  });
  installErrorHandlers(app);
  await app.register(fastifyFormbody, { bodyLimit: options.bodyLimitBytes ?? 1024 * 1024 });
  await app.register(fastifyRateLimit, {
    max: options.requestsPerSecond ?? 50,
    timeWindow: 1000,
    // Per enrolled phone (50 a second for a whole fleet behind one address would be 250 phones at one fix every 5 s).
    keyGenerator: (request) => rateLimitKey(request, urlToken(request), options.trust),
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate-limited', `more than ${context.max} requests per second from this address or device; retry in ${context.after}`),
  });
  const handler = async (request: FastifyRequest) => {
    const device = deviceOf(request, options);
    const parsed = fixesFrom(request, options.time);
    const fixes = device ? ownedFixes(parsed, device, { listener: 'osmand', address: request.ip }, app.log) : parsed;
    const outcome = await pipeline.ingest(fixes);
    if (device && fixes.length < parsed.length) {
      const unit = parsed.find((f) => !device.units.has(f.unit))!.unit;
      throw new HttpError(403, 'unit-not-enrolled', notEnrolled(device, unit), 'id');
    }
    if (outcome.rejected.length > 0) throw new HttpError(400, 'bad-position', outcome.rejected[0].reason);
    return '';
  };
  const schema = { querystring: OsmandFields, response: { 200: Type.String(), ...ERROR_RESPONSES } };
  for (const url of ['/', '/*']) app.route({ method: ['GET', 'POST'], url, schema, handler });
  return app;
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** The token a request carries before its body is read: in the query (the server URL), or "Authorization: Bearer". */
function urlToken(request: FastifyRequest): string | undefined {
  return firstString((request.query as Record<string, unknown> | undefined)?.token) ?? bearerToken(request);
}

/**
 * The device whose token came with the request (`token=` in the query or form, as OsmAnd and Traccar
 * Client keep it in their server URL, or "Authorization: Bearer"), or null where devices are open and
 * none came. A token that is not valid is refused even where devices are open.
 */
function deviceOf(request: FastifyRequest, options: OsmandOptions): DeviceCredential | null {
  const body = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
  const token = firstString((request.query as Record<string, unknown>).token) ?? firstString(body.token) ?? bearerToken(request);
  if (token === undefined) {
    if (options.devicesOpen ?? true) return null;
    throw new HttpError(401, 'device-token-required', 'this server takes positions only from enrolled devices: add "token=<device token>" (from `lindero device add`) to the server URL', 'token');
  }
  const device = options.trust?.deviceByToken(token) ?? null;
  if (!device) {
    options.logger.warn({ listener: 'osmand', address: request.ip }, 'unknown or revoked device token: refused');
    throw new HttpError(401, 'bad-device-token', 'the device token is not valid (unknown or revoked)', 'token');
  }
  return device;
}

export async function listenOsmand(options: OsmandOptions, pipeline: Pipeline): Promise<{ port: number; app: FastifyInstance }> {
  const app = await buildOsmandApp(options, pipeline);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  return { port: typeof address === 'object' && address ? address.port : options.port, app };
}
