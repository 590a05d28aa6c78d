// Beyond loopback field mode sits behind the login page; once a person has signed in on the phone, the
// app still opens and answers with the server out of reach, as it does on loopback.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServerInTempDir, type ServerInTempDir } from '../helpers/server.js';
import { ensureFieldBuilt, fieldReady, openPhone, waitForDistance, type Phone } from './harness.js';
import { hashPassword } from '../../src/trust/index.js';
import type { WhereJson } from '../../src/answer/index.js';
import { nearClint } from './places.js';

describe('field mode signed in, then offline', () => {
  let started: ServerInTempDir;
  let stopped = false;
  let phone: Phone | undefined;

  before(async () => {
    await ensureFieldBuilt();
    started = await startServerInTempDir('lindero-field-auth-', 'field.db', {
      auth: true, osmandPort: null, cotPort: null, cotUdpPort: null, nmeaPort: null, cotTlsPort: null,
    });
    await started.server.trust.db.addUser('ana', 'viewer', await hashPassword('ana-password-1'));
  });

  after(async () => {
    await phone?.close();
    if (!stopped) await started?.close();
  });

  it('the phone signs in once; with the server gone a reload still starts the app and the card answers new positions', async () => {
    const first = await fetch(`${started.origin}/field/`, { redirect: 'manual' });
    assert.equal(first.status, 302, 'the app is behind the login page');
    phone = await openPhone(started.origin, nearClint(25), { name: 'ana', password: 'ana-password-1' });
    await phone.page.waitForFunction(() => document.body.dataset.offlineReady === 'true', undefined, { timeout: 30_000 });
    const place = nearClint(-40);
    // The answer to expect, asked of the server (with a key) while it still runs.
    const { key } = await started.server.store.createApiKey('test');
    const response = await fetch(`${started.origin}/api/v1/where?lat=${place.lat}&lon=${place.lon}&accuracy_m=5`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(response.status, 200);
    const expected = (await response.json()) as WhereJson;
    await started.close();
    stopped = true;
    await phone.page.reload();
    await fieldReady(phone.page);
    assert.equal(await phone.page.evaluate(() => navigator.serviceWorker.controller !== null), true, 'the page came from the service worker');
    await phone.setPosition(place.lat, place.lon, 5);
    await waitForDistance(phone.page, expected.boundary.distance_m);
  });
});
