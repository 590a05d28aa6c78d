// HTTPS for the API and the dashboard, with a certificate from the server's own authority: a client
// that trusts the authority's certificate is served; the session cookie is Secure.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ https: 'authority', rules: null, cotPort: null, cotUdpPort: null, nmeaPort: null });
});
after(() => server.stop());

function get(path: string, ca: Buffer | undefined): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.ports.http, path, servername: 'localhost', ca, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the API answers over HTTPS to a client that trusts the server\'s authority, and not to one that does not', async () => {
  const ca = readFileSync(join(server.dir, 'test.db.ca', 'ca.pem'));
  const r = await get('/api/v1/units', ca);
  assert.equal(r.status, 200);
  assert.match(String(r.headers['strict-transport-security']), /max-age=/);
  await assert.rejects(get('/api/v1/units', undefined), /self-signed|unable to verify|certificate/i);
});
