// Every HTTP error leaves as {"error": {"code", "message", "field"?}}; a stack trace never does.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLinderoError, isStoreFailure, LinderoError } from '../model/index.js';
import type { ErrorJson } from '../answer/schemas.js';

/** An error that carries its HTTP status; thrown by routes for conditions that are not bad input. */
export class HttpError extends LinderoError {
  constructor(readonly statusCode: number, code: string, message: string, field?: string) {
    super(code, message, field === undefined ? {} : { field });
  }
}

export function errorJson(code: string, message: string, field?: string): ErrorJson {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

/** Fastify's own error codes, renamed for clients (e.g. FST_ERR_CTP_BODY_TOO_LARGE → body-too-large). */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad-json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad-json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-content-length',
  FST_ERR_VALIDATION: 'bad-request',
};

function validationField(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const missing = (first.params as { missingProperty?: string } | undefined)?.missingProperty;
  const path = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  return missing ?? (path || undefined);
}

/** Status and body for any error a route or hook threw. */
export function describeHttpError(error: unknown): { status: number; body: ErrorJson; internal: boolean } {
  if (error instanceof HttpError) return { status: error.statusCode, body: errorJson(error.code, error.message, error.place.field), internal: false };
  if (isLinderoError(error)) {
    // A closed or failing store is the server's trouble, not the client's.
    const status = isStoreFailure(error) ? 503 : 400;
    return { status, body: errorJson(error.code, error.message, error.place.field), internal: status >= 500 };
  }
  const fe = error as FastifyError;
  const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500;
  if (status >= 500) return { status, body: errorJson('internal', 'the server failed to handle this request; it has been logged'), internal: true };
  const code = (fe.code && FASTIFY_CODES[fe.code]) ?? (status === 429 ? 'rate-limited' : status === 404 ? 'not-found' : 'bad-request');
  const field = fe.validation ? validationField(fe) : undefined;
  return { status, body: errorJson(code, fe.message, field), internal: false };
}

/** Installs the error and not-found handlers on an instance (and the plugins registered under it). */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body, internal } = describeHttpError(error);
    if (internal) request.log.error({ err: error }, 'request failed');
    void reply.code(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0].slice(0, 200);
    void reply.code(404).type('application/json').send(errorJson('not-found', `no route ${request.method} ${path}`));
  });
}
