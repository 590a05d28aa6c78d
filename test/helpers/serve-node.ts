// `lindero serve` as a real process, as the durability and multi-node tests start it, and a device posting
// fixes to it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BOUNDARY_FILE } from '../server/helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A fix as a device posts it to /api/v1/fixes. */
export interface SentFix { unit: string; time: number; lat: number; lon: number; accuracy_m: number }

/**
 * A server on the store `db` (port 0, every device listener off; a PostgreSQL node's own files in `files`),
 * resolved with its HTTP port once it says it listens.
 */
export function serveNode(db: string, files?: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0', '--db', db, ...(files ? ['--db-files', files] : []), '--boundary', BOUNDARY_FILE,
      '--osmand-port', 'off', '--cot-port', 'off', '--cot-udp-port', 'off', '--nmea-port', 'off', '--cot-tls-port', 'off'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve({ child, port: (JSON.parse(out.split('\n')[0]) as { listening: { http: number } }).listening.http });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${err}`)));
  });
}

/** Posts until answered; a device told to slow down (429) waits and sends the same fixes again. */
export async function postFixes(port: number, fixes: SentFix[]): Promise<void> {
  const send = () => fetch(`http://127.0.0.1:${port}/api/v1/fixes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixes) });
  let r = await send();
  while (r.status === 429) {
    await r.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 250));
    r = await send();
  }
  const body = await r.json() as { accepted: number };
  assert.equal(r.status, 200);
  assert.equal(body.accepted, fixes.length);
}
