// Acknowledgements on the server, shared by every operator: who acknowledged which alert, and when,
// each also a chained record in the evidence. A viewer cannot acknowledge.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isLinderoError } from '../model/index.js';
import { acknowledgementJson } from './wire.js';
import { requireRole } from './auth.js';
import type { ServerContext } from './context.js';
import { HttpError } from './http-errors.js';
import { ERROR_RESPONSES, AcknowledgementSchema } from '../answer/schemas.js';



export const acknowledgementsRoutes: FastifyPluginAsyncTypebox<ServerContext> = async (app, ctx) => {
  const trust = ctx.trust;
  if (!trust) return;
  app.get('/acknowledgements', {
    schema: {
      querystring: Type.Object({ from_alert_id: Type.Optional(Type.Integer({ minimum: 0 })) }),
      response: { 200: Type.Object({ acknowledgements: Type.Array(AcknowledgementSchema) }), ...ERROR_RESPONSES },
    },
  }, async (request) => {
    requireRole(request, 'viewer');
    return { acknowledgements: (await trust.db.acknowledgements(request.query.from_alert_id ?? 0)).map(acknowledgementJson) };
  });
  app.post('/alerts/:id/acknowledgement', {
    schema: {
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      response: { 200: AcknowledgementSchema, 201: AcknowledgementSchema, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    const principal = requireRole(request, 'operator');
    if (principal.kind === 'device') throw new HttpError(403, 'forbidden', 'a device cannot acknowledge');
    try {
      const { ack, created } = await trust.db.acknowledge(request.params.id, principal.name, principal.kind);
      if (created) {
        request.log.info({ alert: ack.alertId, by: ack.byName }, 'alert acknowledged');
        // Every operator's screen shows it at once (other nodes' screens read it from the store).
        ctx.hub.publish({ type: 'acknowledgement', acknowledgement: ack });
      }
      return reply.code(created ? 201 : 200).send(acknowledgementJson(ack));
    } catch (e) {
      if (isLinderoError(e) && e.code === 'unknown-alert') throw new HttpError(404, 'unknown-alert', e.message, 'id');
      throw e;
    }
  });
};
