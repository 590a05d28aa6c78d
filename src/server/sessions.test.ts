import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { safeNext } from './login.js';
import { cookieValue, SESSION_COOKIE } from './sessions.js';

test('the session cookie is read from a Cookie header among others, and absent when it is not there', () => {
  assert.equal(cookieValue(`theme=dark; ${SESSION_COOKIE}=abc_DEF-123; lang=es`, SESSION_COOKIE), 'abc_DEF-123');
  assert.equal(cookieValue('theme=dark', SESSION_COOKIE), undefined);
  assert.equal(cookieValue(undefined, SESSION_COOKIE), undefined);
  assert.equal(cookieValue(`x${SESSION_COOKIE}=1`, SESSION_COOKIE), undefined, 'a longer name is another cookie');
});

test('fuzz (seeded): any Cookie header is read without throwing, and a session cookie in it is found', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), (noise, id) => {
    cookieValue(noise, SESSION_COOKIE);
    const clean = noise.replace(/[;=]/g, '');
    assert.equal(cookieValue(`${clean}=1; ${SESSION_COOKIE}=${id}`, SESSION_COOKIE), clean.trim() === SESSION_COOKIE ? '1' : id);
  }), { seed: 17, numRuns: 2000 });
});

test('after signing in, only a path on this server is followed: never another origin', () => {
  assert.equal(safeNext('/card?unit=alpha'), '/card?unit=alpha');
  for (const bad of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', 42, undefined]) assert.equal(safeNext(bad), '/', String(bad));
  fc.assert(fc.property(fc.string({ maxLength: 100 }), (s) => {
    const next = safeNext(s);
    assert.ok(next === '/' || (next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')));
  }), { seed: 17, numRuns: 5000 });
});

test('a session outlives a restart of the server: it is kept in the store file, by the hash of its id only', async () => {
  const { tempDir } = await import('../../test/helpers/temp.js');
  const { hashPassword, TrustDb, TrustRegistry } = await import('../trust/index.js');
  const { Sessions } = await import('./sessions.js');
  const tmp = tempDir('lindero-sessions-');
  try {
    const file = tmp.file('store.db');
    let trust = await TrustRegistry.open(file);
    await trust.db.addUser('omar', 'operator', await hashPassword('omar-password-1'));
    let cookie = '';
    await new Sessions(trust, false).start({ header: (_name: string, value: string) => { cookie = value.split(';')[0]; } } as never, 'omar');
    await trust.close();
    const id = cookie.slice(cookie.indexOf('=') + 1);
    assert.ok(id.length >= 40);
    trust = await TrustRegistry.open(file);
    const request = (c: string) => ({ headers: { cookie: c } }) as never;
    assert.deepEqual(await new Sessions(trust, false).userOf(request(cookie)), { name: 'omar', role: 'operator' });
    assert.equal(await new Sessions(trust, false).userOf(request(`${SESSION_COOKIE}=${'x'.repeat(43)}`)), null, 'an id never issued opens nothing');
    assert.ok(trust.db instanceof TrustDb);
    const rows = trust.db.db.prepare('SELECT id_hash FROM sessions').pluck().all() as string[];
    assert.ok(rows.length === 1 && !rows[0].includes(id), 'the file holds the hash, not the id');
    await trust.close();
  } finally {
    tmp.remove();
  }
});
