// Field mode at /field: the phone app (web/field, built to web/field/dist) that answers "which side am I on?"
// from the phone's own GPS, offline once loaded. The server only hands out its files.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface FieldOptions {
  /** Folder of the built field app. Default: web/field/dist beside src/ or dist/. */
  fieldRoot?: string;
}

// Both src/server/field.ts (tsx) and dist/server/field.js (built) sit two levels below the package root.
const DEFAULT_FIELD_ROOT = fileURLToPath(new URL('../../web/field/dist/', import.meta.url));

export const FIELD_PREFIX = '/field/';

/**
 * The page's inline scripts as CSP hash sources ('sha256-…'): field mode's first script is inline
 * (web/field/early-read.js: it starts reading the boundary before any file could be fetched), and the
 * policy allows exactly that script, nothing else inline.
 */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}

/** Serves the field app at /field/ (and sends /field there: the service worker's scope needs the slash). */
export async function fieldPlugin(app: FastifyInstance, opts: FieldOptions = {}): Promise<void> {
  const root = opts.fieldRoot ?? DEFAULT_FIELD_ROOT;
  if (!existsSync(`${root}/index.html`)) {
    const notBuilt = async (_req: FastifyRequest, reply: FastifyReply) =>
      reply.code(503).type('text/plain; charset=utf-8')
        .send(`Field mode is not built: ${root}index.html is missing. Run "npm run build:field".\n`);
    app.get('/field', notBuilt);
    app.get(`${FIELD_PREFIX}*`, notBuilt);
    return;
  }
  app.get('/field', async (request, reply) => {
    const query = request.url.indexOf('?');
    return reply.redirect(`${FIELD_PREFIX}${query >= 0 ? request.url.slice(query) : ''}`, 301);
  });
  const pageScripts = inlineScriptHashes(readFileSync(`${root}/index.html`, 'utf8')).join(' ');
  await app.register(fastifyStatic, {
    root,
    prefix: FIELD_PREFIX,
    index: ['index.html'],
    // The dashboard registers @fastify/static too; its reply decorators are its own.
    decorateReply: false,
    // Its own Cache-Control would replace the one set below.
    cacheControl: false,
    // The default boundary is built with .br and .gz beside it (web/field/vite.config.ts): sent compressed.
    preCompressed: true,
    setHeaders: (res, path) => {
      if (pageScripts && /[\\/]index\.html$/.test(path)) {
        const policy = res.getHeader('content-security-policy');
        if (typeof policy === 'string') res.setHeader('content-security-policy', policy.replace(/script-src 'self'/, `script-src 'self' ${pageScripts}`));
      }
      // Hashed asset names never change content. Everything else (the page, the service worker, its
      // manifest, the boundary) must be re-read, or a phone would keep an old service worker for a day.
      res.setHeader('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
