// CoT connection slots go to clients that speak: a connection with no event by the first-event
// deadline is closed, and when every slot is taken a new client takes the slot of the one quiet longest.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { atakPli, closedByServer, startTestServer, tcpClient, wholeSecondsAgo, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ rules: null, limits: { cot: { firstEventTimeoutMs: 400, maxConnections: 3, evictAfterQuietMs: 300 } } });
});
after(() => server.stop());

const ping = (uid: string) => {
  const t = new Date().toISOString();
  return `<event version="2.0" uid="${uid}" type="t-x-c-t" time="${t}" start="${t}" stale="${t}" how="h-g-i-g-o"><point lat="0" lon="0" hae="0" ce="9999999" le="9999999"/><detail/></event>`;
};

test('a connection that sends no whole event by the deadline is closed; one that pings stays', async () => {
  const silent = await tcpClient(server.ports.cotTcp!);
  const speaking = await tcpClient(server.ports.cotTcp!);
  speaking.socket.write(ping('ANDROID-ping'));
  await closedByServer(silent.socket);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(speaking.socket.destroyed, false);
  speaking.socket.destroy();
});

test('with every slot taken, a new client takes the slot of the connection quiet longest and reports', async () => {
  const held = [];
  for (let i = 0; i < 3; i++) {
    const c = await tcpClient(server.ports.cotTcp!);
    c.socket.write(ping(`ANDROID-held-${i}`));
    held.push(c);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 400));
  const newcomer = await tcpClient(server.ports.cotTcp!);
  await closedByServer(held[0].socket);
  newcomer.socket.write(atakPli('ANDROID-newcomer', 31.79, -106.58, wholeSecondsAgo(1)));
  for (let i = 0; i < 100 && (await server.store.track('ANDROID-newcomer')).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal((await server.store.track('ANDROID-newcomer')).length, 1);
  for (const c of [...held, newcomer]) c.socket.destroy();
});
