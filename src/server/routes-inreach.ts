// POST /api/v1/inreach: Garmin inReach devices through IPC Outbound (Garmin's gateway posts what they send).
// Garmin retries a post answered with anything but 200 (after 2, 4, … 128 s, for up to five days), so a
// post that was read is answered 200 once its fixes are durably stored, even when some of its events could
// not be used: retrying would not make them usable. Those are listed, and logged. A store that fails answers
// 503, and Garmin sends the post again.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { describeMessageCode, INREACH_SOS_CODES, parseInreachOutbound, type TimeWindow } from '../ingest/index.js';
import { requireRole } from './auth.js';
import type { ServerContext } from './context.js';
import { keepEnrolled, raiseEnrolledEmergencies } from './device-auth.js';
import { ERROR_RESPONSES } from '../answer/schemas.js';

/** The request header in which Garmin's gateway sends the static token set in Portal Connect. */
export const INREACH_TOKEN_HEADER = 'x-outbound-auth-token';
export const INREACH_PATH = '/inreach';

const Body = Type.Object({
  Version: Type.Optional(Type.Unknown({ description: 'the event schema: "2.0", "3.0" or "4.0"' })),
  Events: Type.Array(Type.Unknown(), { description: 'one event per transmission of an inReach device' }),
}, { additionalProperties: true });

const InreachAnswer = Type.Object({
  accepted: Type.Integer({ description: 'fixes durably stored (one already stored counts once, as accepted)' }),
  rejected: Type.Array(Type.Object({
    index: Type.Integer({ description: 'place of the event in Events' }),
    reason: Type.String(),
    not_a_report: Type.Boolean({ description: 'true for an event that reports no position (a message sent without a fix, a binary payload): nothing was wrong with it' }),
  })),
  emergencies_without_position: Type.Optional(Type.Array(Type.Integer(), {
    description: 'places in Events of SOS events sent without a position: each raised its alert at the device\'s last known position (no fix stored)',
  })),
});

export interface InreachRouteOptions extends ServerContext {
  time?: TimeWindow;
}

export const inreachRoutes: FastifyPluginAsyncTypebox<InreachRouteOptions> = async (app, ctx) => {
  app.post(INREACH_PATH, {
    schema: { body: Body, response: { 200: InreachAnswer, ...ERROR_RESPONSES } },
  }, async (request) => {
    if (request.principal?.kind !== 'device') requireRole(request, 'operator');
    const parsed = parseInreachOutbound(request.body, { time: ctx.time });
    const rejected: { index: number; reason: string; not_a_report?: boolean }[] = parsed.skipped.map((s) => ({ index: s.index, reason: s.reason, not_a_report: s.notAReport }));
    const owned = keepEnrolled(request, parsed.fixes, parsed.fixEvents.map((e) => e.index), 'inreach', rejected);
    const outcome = await ctx.pipeline.ingest(owned.fixes);
    for (const r of outcome.rejected) rejected.push({ index: owned.indexOf[r.index], reason: r.reason });
    for (const [i, event] of parsed.fixEvents.entries()) {
      if (event.messageCode !== undefined && INREACH_SOS_CODES.has(event.messageCode)) {
        request.log.warn({ listener: 'inreach', unit: parsed.fixes[i].unit, lat: parsed.fixes[i].lat, lon: parsed.fixes[i].lon }, `inReach ${describeMessageCode(event.messageCode)}`);
      }
    }
    // An SOS sent without a position: raised once the post's fixes are stored; a store that fails answers 503 (Garmin sends it again).
    const emergencies = await raiseEnrolledEmergencies(request, ctx.pipeline, parsed.emergencies, 'inreach', rejected);
    const unused = rejected.filter((r) => !r.not_a_report);
    if (unused.length > 0) request.log.warn({ listener: 'inreach', address: request.ip, events: unused.length, first: unused[0].reason }, 'inReach events not used');
    rejected.sort((a, b) => a.index - b.index);
    const answer: Static<typeof InreachAnswer> = { accepted: owned.fixes.length - outcome.rejected.length, rejected: rejected.map((r) => ({ ...r, not_a_report: r.not_a_report ?? false })) };
    if (emergencies.length > 0) answer.emergencies_without_position = emergencies;
    return answer;
  });
};
