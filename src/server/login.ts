// Signing in: a plain HTML form (no script, so it works under the strict Content-Security-Policy and
// on any phone), in English or Spanish, rate-limited per address. Beyond loopback the dashboard, the
// card and field mode's page send a visitor without a session here first.
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyPassword, type TrustRegistry } from '../trust/index.js';
import type { Sessions } from './sessions.js';

export interface LoginOptions {
  trust: TrustRegistry;
  sessions: Sessions;
  /** Whether the pages need a session (the server listens beyond loopback). */
  required: boolean;
  /** Sign-in attempts per minute from one address. Default 10. */
  attemptsPerMinute?: number;
}

const TEXT = {
  en: { title: 'Sign in — lindero', heading: 'Sign in', name: 'User name', password: 'Password', submit: 'Sign in', failed: 'The user name or password is not right.', other: 'Español', otherLang: 'es' },
  es: { title: 'Iniciar sesión — lindero', heading: 'Iniciar sesión', name: 'Nombre de usuario', password: 'Contraseña', submit: 'Entrar', failed: 'El nombre de usuario o la contraseña no son correctos.', other: 'English', otherLang: 'en' },
} as const;
type Lang = keyof typeof TEXT;

/** The pages that need a session beyond loopback (their scripts and styles are not secret). */
const PAGES = new Set(['/', '/index.html', '/card', '/card.html', '/field', '/field/', '/field/index.html']);

function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function langOf(request: FastifyRequest): Lang {
  const q = (request.query as Record<string, unknown> | undefined)?.lang ?? (request.body as Record<string, unknown> | undefined)?.lang;
  if (q === 'es' || q === 'en') return q;
  return /^es\b/i.test(request.headers['accept-language'] ?? '') ? 'es' : 'en';
}

/** Only a path on this server: never another origin (an open redirect). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(value) ? value : '/';
}

export function loginPage(lang: Lang, next: string, failed: boolean): string {
  const t = TEXT[lang];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title><link rel="stylesheet" href="/login.css"></head>
<body><main><h1>${t.heading}</h1>
${failed ? `<p class="error" role="alert">${t.failed}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="next" value="${escapeHtml(next)}"><input type="hidden" name="lang" value="${lang}">
<label>${t.name}<input name="name" autocomplete="username" required maxlength="64"></label>
<label>${t.password}<input name="password" type="password" autocomplete="current-password" required maxlength="1024"></label>
<button type="submit">${t.submit}</button>
</form>
<p><a href="/login?lang=${t.otherLang}&amp;next=${encodeURIComponent(next)}" hreflang="${t.otherLang}">${t.other}</a></p>
</main></body></html>
`;
}

const CSS = `body{font-family:system-ui,sans-serif;display:flex;justify-content:center;margin:0;padding:2rem 1rem;background:#f4f4f2}
main{max-width:22rem;width:100%}label{display:block;margin:.8rem 0}input{display:block;width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{padding:.6rem 1.2rem;font-size:1rem}.error{color:#a40000;font-weight:600}`;

export async function loginPlugin(app: FastifyInstance, options: LoginOptions): Promise<void> {
  const { trust, sessions } = options;
  if (options.required) {
    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'GET' || !PAGES.has(request.url.split('?')[0])) return;
      if (await sessions.userOf(request)) return;
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 302);
    });
  }
  await app.register(async (scope) => {
    await scope.register(fastifyFormbody, { bodyLimit: 8192 });
    scope.get('/login.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(CSS));
    scope.get('/login', async (request, reply) => {
      const next = safeNext((request.query as Record<string, unknown>).next);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(loginPage(langOf(request), next, false));
    });
    scope.post('/login', {
      config: { rateLimit: { max: options.attemptsPerMinute ?? 10, timeWindow: 60_000 } },
    }, async (request: FastifyRequest, reply: FastifyReply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const next = safeNext(body.next);
      const name = typeof body.name === 'string' ? body.name : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const user = await trust.user(name);
      // A hash is checked even for an unknown name, so the answer takes as long either way.
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH) && user !== null;
      if (!ok) {
        request.log.warn({ address: request.ip, user: name.slice(0, 64) }, 'sign-in refused');
        return reply.code(401).type('text/html; charset=utf-8').send(loginPage(langOf(request), next, true));
      }
      await sessions.start(reply, user.name);
      request.log.info({ address: request.ip, user: user.name, role: user.role }, 'signed in');
      return reply.redirect(next, 303);
    });
    scope.post('/logout', async (request, reply) => {
      await sessions.end(request, reply);
      return reply.redirect('/login', 303);
    });
  });
}

// scrypt of a random password, parameters as real hashes: the time of a refusal does not tell whether the name exists.
const DUMMY_HASH = 'scrypt$32768$8$1$3q2CjIpN3f0m4j6x2cN8xw$Q0xvY2tlZC1vdXQtZHVtbXktaGFzaC1ub3QtYS1rZXk';
