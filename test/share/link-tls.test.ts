// Mutual TLS on the partner link: with certificates configured, two servers whose certificates chain
// to the shared CA link up; a dialler without a certificate does not get past the TLS handshake.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { parseShareConfig } from '../../src/share/index.js';
import { BOUNDARY_FILE, eventually, getJson, SECRET, tempDir } from './helpers.js';

const tmp = tempDir();
after(() => tmp.remove());

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A CA and, for each name, a key and a certificate it signed, valid for 127.0.0.1. */
function makeCertificates(names: string[]): void {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: tmp.dir, stdio: 'ignore' });
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=partners CA']);
  for (const name of names) {
    run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > ${name}.ext`], { cwd: tmp.dir });
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
  }
}

const quiet = (name: string) => ({ host: '127.0.0.1', port: 0, osmandPort: null, cotPort: null, cotUdpPort: null, nmeaPort: null, db: join(tmp.dir, `${name}.db`), boundaryFile: BOUNDARY_FILE } as const);
const tls = (name: string) => ({ cert: `${name}.pem`, key: `${name}.key`, ca: 'ca.pem' });

describe('the partner link over mutual TLS', { skip: !hasOpenssl() && 'openssl is not installed' }, () => {
  it('two servers with certificates from the shared CA link up; a dialler without one is refused', async () => {
    makeCertificates(['mx', 'us']);
    const mx: RunningServer = await startServer({
      ...quiet('mx'),
      share: parseShareConfig(JSON.stringify({ org: 'SEDENA', link: { port: 0, tls: tls('mx') }, partners: [{ name: 'CBP', secret: SECRET }] }), join(tmp.dir, 'mx.json')),
    });
    let us: RunningServer | null = null;
    try {
      us = await startServer({
        ...quiet('us'),
        share: parseShareConfig(JSON.stringify({
          org: 'CBP', link: { port: 0, tls: tls('us'), reconnect_min_ms: 50, reconnect_max_ms: 500 },
          partners: [{ name: 'SEDENA', url: `wss://127.0.0.1:${mx.ports.link}`, secret: SECRET }],
        }), join(tmp.dir, 'us.json')),
      });
      const link = await eventually(async () => {
        const l = (await getJson(`http://127.0.0.1:${mx.ports.http}/api/v1/partners`)).partners[0].link;
        return l.state === 'connected' ? l : undefined;
      }, 'the TLS link');
      assert.equal(link.dialled_by, 'CBP');
      assert.equal((await getJson(`http://127.0.0.1:${mx.ports.http}/api/v1/partners`)).link.tls, true);

      const stranger = new WebSocket(`wss://127.0.0.1:${mx.ports.link}`, { rejectUnauthorized: false });
      const failed = await Promise.race([
        once(stranger, 'error').then(() => true),
        once(stranger, 'open').then(() => false),
      ]);
      assert.equal(failed, true, 'a client without a certificate opened the link');
    } finally {
      await us?.close();
      await mx.close();
    }
  });
});
