// The partner API under /api/v1: the policies and link states (for the dashboard), canned messages
// with their delivery receipts, and the alerts partners shared.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../trust/index.js';
import { isLinderoError } from '../model/index.js';
import { templatesJson } from './messages.js';
import type { Author, ShareService } from './service.js';

export interface PartnersRouteOptions {
  /** The running sharing service, or null/undefined when this server has no partners. */
  share?: ShareService | null;
  /** Checks that the request's operator has at least `role` (403 otherwise). Absent: every request may. */
  authorize?: (request: FastifyRequest, role: Role) => Author;
}

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) });
const MessageBody = Type.Object({
  template: Type.String({ minLength: 1, maxLength: 64 }),
  params: Type.Optional(Type.Record(Type.String({ maxLength: 32 }), Type.Union([Type.Number(), Type.String({ maxLength: 64 })]), { maxProperties: 8 })),
}, { additionalProperties: false });

/** Runs a partner operation; an unknown partner is a 404, a bad message a 400, both naming the field. */
async function answer<T>(reply: FastifyReply, share: ShareService | null | undefined, work: (s: ShareService) => T | Promise<T>, status = 200) {
  if (!share) {
    return reply.code(404).send({ error: { code: 'sharing-off', message: 'this server has no partners (start it with --partners FILE)' } });
  }
  try {
    return reply.code(status).send(await work(share));
  } catch (e) {
    // Errors that carry their own HTTP status (a role refused: 403) go to the server's error handler.
    if (!isLinderoError(e) || 'statusCode' in e) throw e;
    const code = e.code === 'unknown-partner' ? 404 : 400;
    return reply.code(code).send({ error: { code: e.code, message: e.message, field: e.place.field } });
  }
}

export const partnersRoutes: FastifyPluginAsyncTypebox<PartnersRouteOptions> = async (app, options) => {
  const share = options.share;

  app.get('/partners', async () => share?.partnersJson() ?? { org: null, lang: null, link: null, proximity: null, templates: templatesJson(), partners: [] });

  app.get('/partners/:name/messages', { schema: { params: NameParams } },
    (request, reply) => answer(reply, share, async (s) => ({ messages: await s.messagesJson(request.params.name) })));

  app.post('/partners/:name/messages', {
    schema: { params: NameParams, body: MessageBody },
  }, (request, reply) => answer(reply, share, async (s) => {
    // Without an authorizer (a server given no trust), the message is the machine owner's.
    const by = options.authorize?.(request, 'operator') ?? { name: 'local', kind: 'local' };
    return { message: await s.sendMessage(request.params.name, request.body.template, request.body.params, by) };
  }, 202));

  app.get('/partners/:name/alerts', { schema: { params: NameParams } },
    (request, reply) => answer(reply, share, async (s) => ({ alerts: await s.alertsJson(request.params.name) })));
};
