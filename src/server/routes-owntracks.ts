// POST /api/v1/owntracks: phones running OwnTracks in HTTP mode. The app expects a JSON array in answer
// (messages for it; lindero sends none) and sends a message again until it is answered 2xx, so: 200 once the
// locations are durably stored, and also for a location whose position or time is unusable (logged; sending
// it again would not make it usable); 403 when the device is not enrolled for the unit, which the person
// holding the phone must fix in its settings.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { parseOwnTracks, type TimeWindow } from '../ingest/index.js';
import { requireRole } from './auth.js';
import type { ServerContext } from './context.js';
import { keepEnrolled } from './device-auth.js';
import { HttpError } from './http-errors.js';
import { ERROR_RESPONSES } from '../answer/schemas.js';

export const OWNTRACKS_PATH = '/owntracks';

export interface OwnTracksRouteOptions extends ServerContext {
  time?: TimeWindow;
}

const header = (value: string | string[] | undefined) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

export const owntracksRoutes: FastifyPluginAsyncTypebox<OwnTracksRouteOptions> = async (app, ctx) => {
  app.post(OWNTRACKS_PATH, {
    schema: {
      body: Type.Unknown({ description: 'an OwnTracks message ({"_type": "location", "lat", "lon", "tst", …}) or an array of them' }),
      response: { 200: Type.Array(Type.Unknown(), { maxItems: 0 }), ...ERROR_RESPONSES },
    },
  }, async (request) => {
    if (request.principal?.kind !== 'device') requireRole(request, 'operator');
    const sender = { user: header(request.headers['x-limit-u']), device: header(request.headers['x-limit-d']) };
    const parsed = parseOwnTracks(request.body, sender, { time: ctx.time });
    const refused: { index: number; reason: string }[] = [];
    const owned = keepEnrolled(request, parsed.fixes, parsed.fixes.map((_, i) => i), 'owntracks', refused);
    const outcome = await ctx.pipeline.ingest(owned.fixes);
    const unusable = [...parsed.rejected, ...outcome.rejected];
    if (unusable.length > 0) request.log.warn({ listener: 'owntracks', address: request.ip, messages: unusable.length, first: unusable[0].reason }, 'OwnTracks locations not used');
    if (refused.length > 0) throw new HttpError(403, 'unit-not-enrolled', refused[0].reason, 'topic');
    return [];
  });
};
