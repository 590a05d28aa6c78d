import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from './index.js';
import { openDatabase } from './open.js';
import { numberedFix, seededRandom, tempDir } from '../../test/helpers/store-fixtures.js';

const tmp = tempDir();
after(() => tmp.remove());
const CHILD = fileURLToPath(new URL('../../test/helpers/durability-child.ts', import.meta.url));

interface Ack {
  status: string;
  index: number;
  id: number;
  seq: number;
}

/** Runs the appending child from fix `start` and SIGKILLs it once `killAfter` fixes are acknowledged (plus a few ms). */
function runAndKill(file: string, start: number, seed: number, killAfter: number, delayMs: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(start), String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!armed && out.split('\n').length - 2 >= killAfter) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child ended by itself (code ${code}): ${err}`));
      // Only complete lines are acknowledgements; a torn last line is not.
      const lines = out.split('\n').slice(0, -1);
      assert.equal(lines.shift(), 'ready', err);
      resolve(lines.map((line) => {
        const [status, index, id, seq] = line.split(' ');
        return { status, index: Number(index), id: Number(id), seq: Number(seq) };
      }));
    });
  });
}

test('the store commits through a write-ahead log synced on every commit', () => {
  const db = openDatabase(tmp.file('settings.db'));
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('synchronous', { simple: true }), 2, 'synchronous=FULL');
  db.close();
});

type Row = { id: number; seq: number; unit: string; time_ms: number; lat: number; lon: number };

test('every fix acknowledged before a SIGKILL is in the file after reopening, and none is stored twice', async () => {
  const file = tmp.file('killed.db');
  const random = seededRandom(20250601);
  const acks: Ack[] = [];
  let nextStart = 0;
  for (let round = 0; round < 10; round++) {
    const killAfter = 1 + Math.floor(random() * 300);
    const got = await runAndKill(file, nextStart, Math.floor(random() * 2 ** 31), killAfter, Math.floor(random() * 12));
    assert.ok(got.length >= killAfter, `round ${round}: ${got.length} acknowledgements`);
    acks.push(...got);
    // The next run resends some fixes the last one sent, as a client does when it missed the answers.
    const highest = Math.max(...got.map((a) => a.index));
    nextStart = Math.max(0, highest + 1 - Math.floor(random() * 40));
  }

  const store = await openSqliteStore(file, { verify: true });
  await store.close();
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT id, seq, unit, time_ms, lat, lon FROM fixes ORDER BY id').all() as Row[];
  const events = db.prepare('SELECT count(*) FROM events').pluck().get();
  db.close();

  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const ack of acks) {
    const row = byId.get(ack.id);
    assert.ok(row, `acknowledged fix ${ack.index} (id ${ack.id}, ${ack.status}) is missing`);
    const { fix } = numberedFix(ack.index);
    assert.deepEqual([row.unit, row.time_ms, row.lat, row.lon, row.seq], [fix.unit, fix.time, fix.lat, fix.lon, ack.seq]);
  }
  const storedAcks = acks.filter((a) => a.status === 'stored');
  assert.equal(new Set(storedAcks.map((a) => a.id)).size, storedAcks.length, 'no id is acknowledged as newly stored twice');
  assert.ok(acks.some((a) => a.status === 'duplicate'), 'resent fixes were recognised as duplicates');
  const indexes = rows.map((row) => Math.round((row.time_ms - numberedFix(0).fix.time) / 1000));
  assert.equal(new Set(indexes).size, rows.length, 'every fix is in the file once');
  assert.equal(events, rows.length, 'one event per stored fix');
  assert.deepEqual(rows.map((r) => r.seq), [...rows.map((r) => r.seq)].sort((a, b) => a - b), 'seq follows storage order');
});
