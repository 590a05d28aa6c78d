// `lindero serve` starting and stopping as a real process: a store it cannot write stops it at once
// with exit 2 and the reason; SIGTERM ends it within seconds once it is up.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BOUNDARY_FILE } from '../server/helpers.js';
import { ROOT, runInProcess } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lindero-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FREE_PORTS = ['--port', '0', '--osmand-port', '0', '--cot-port', '0', '--cot-udp-port', '0', '--nmea-port', '0', '--cot-tls-port', '0'];

function serve(args: string[], options: { uid?: number; gid?: number } = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--boundary', BOUNDARY_FILE, ...FREE_PORTS, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null }));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

const asRoot = process.getuid?.() === 0;

test('a store file the server cannot write stops `lindero serve` with exit 2 and the reason', { skip: !asRoot && 'needs root to run the server as another user' }, async () => {
  const ro = join(dir, 'ro');
  const db = join(ro, 'readonly.db');
  await import('node:fs').then((fs) => fs.mkdirSync(ro));
  assert.equal((await runInProcess(['device', 'list', '--db', db])).code, 0);
  chmodSync(db, 0o444);
  chmodSync(ro, 0o777);
  chmodSync(dir, 0o755); // mkdtemp makes it 0700: nobody could not reach the store
  // As nobody: root writes any file whatever its mode.
  const run = serve(['--db', db], { uid: 65534, gid: 65534 });
  const { code } = await run.exited;
  assert.equal(code, 2, run.stderr());
  assert.match(run.stderr(), /readonly\.db.*cannot be written/);
  assert.doesNotMatch(run.stdout(), /listening/);
});

test('SIGTERM ends a running server within seconds, exit 0, after closing its listeners and the store', async () => {
  const run = serve(['--db', join(dir, 'live.db')]);
  while (!run.stdout().includes('\n')) {
    const state = await Promise.race([run.exited.then(() => 'exited'), new Promise((r) => setTimeout(r, 50, 'waiting'))]);
    if (state === 'exited') assert.fail(`the server exited before listening: ${run.stderr()}`);
  }
  assert.ok(JSON.parse(run.stdout().split('\n')[0]).listening.cot_tls > 0);
  const sentMs = Date.now();
  run.child.kill('SIGTERM');
  const { code } = await run.exited;
  assert.equal(code, 0, run.stderr());
  assert.match(run.stderr(), /SIGTERM: closing listeners and the store/);
  // Not a timed assertion of speed: a bound far above the normal second, to catch a process held open.
  assert.ok(Date.now() - sentMs < 20_000, 'the process ended');
});
