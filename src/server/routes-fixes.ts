// POST /api/v1/fixes: a JSON array of fixes, answered only once the good ones are durably stored.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MAX_JSON_BATCH, parseJsonFixes, type TimeWindow } from '../ingest/index.js';
import { requireRole } from './auth.js';
import type { ServerContext } from './context.js';
import { keepEnrolled, raiseEnrolledEmergencies } from './device-auth.js';
import { ERROR_RESPONSES } from '../answer/schemas.js';

// Items are checked one by one by parseJsonFixes, so that one bad fix is reported by index and field
// instead of failing the batch; the schema holds what applies to the whole body.
const Body = Type.Array(Type.Unknown(), {
  maxItems: MAX_JSON_BATCH,
  description: 'fixes: {"unit", "time" (ISO 8601 or ms), "lat", "lon", "accuracy_m"?, "alt_m"?, "speed_mps"?, "course_deg"?, "emergency"?: {"state": "declared" | "cancelled", "what"?}}; {"unit", "time", "emergency"} is an emergency without a position',
});

export const AcceptedSchema = Type.Object({
  accepted: Type.Integer({ description: 'fixes durably stored (a fix already stored counts once, as accepted), and emergencies without a position taken' }),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String() })),
});

export interface FixesRouteOptions extends ServerContext {
  time?: TimeWindow;
}

export const fixesRoutes: FastifyPluginAsyncTypebox<FixesRouteOptions> = async (app, ctx) => {
  app.post('/fixes', {
    schema: { body: Body, response: { 200: AcceptedSchema, ...ERROR_RESPONSES } },
  }, async (request) => {
    const principal = request.principal;
    // A person or program reporting with a key or session reports as an operator; a device, its own units.
    if (principal?.kind !== 'device') requireRole(request, 'operator');
    const parsed = parseJsonFixes(request.body, { time: ctx.time });
    const rejected = parsed.rejected;
    // parseJsonFixes keeps the good fixes in order; recover each one's index in the body.
    const notFixes = new Set([...rejected.map((r) => r.index), ...parsed.emergencies.map((e) => e.index)]);
    const indexOf: number[] = [];
    for (let i = 0; i < request.body.length; i++) if (!notFixes.has(i)) indexOf.push(i);
    const owned = keepEnrolled(request, parsed.fixes, indexOf, 'api', rejected);
    const fixes = owned.fixes;
    const outcome = await ctx.pipeline.ingest(fixes);
    for (const r of outcome.rejected) rejected.push({ index: owned.indexOf[r.index], reason: r.reason });
    // Emergencies without a position: raised once the fixes beside them are stored (their last known position).
    const emergencies = await raiseEnrolledEmergencies(request, ctx.pipeline, parsed.emergencies, 'api', rejected);
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: fixes.length - outcome.rejected.length + emergencies.length, rejected };
  });
};
