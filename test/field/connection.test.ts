// The phone's connection indicator says whether a lindero server answers, not whether the browser thinks a
// network is up: a web server that is not lindero (a captive portal on a tactical Wi-Fi) is no server, and a
// lindero server that stops is noticed within a check or two.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { openPhone, screenshot, startFieldServer, type FieldServer, type Phone } from './harness.js';
import { nearClint } from './places.js';

// CHECK_INTERVAL_MS (10 s) and CHECK_TIMEOUT_MS (5 s) in web/field/src/report/server-connection.ts, with room.
const NOTICED_WITHIN_MS = 30_000;

/** A web server that answers every request with a page, as a captive portal does (and lets any page read it). */
async function startPortal(): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'content-type, authorization',
    });
    response.end(request.method === 'OPTIONS' ? '' : '<!doctype html><title>Welcome</title><p>Accept the terms to continue.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('field mode connection indicator', () => {
  let server: FieldServer;
  let serverStopped = false;
  let portal: { origin: string; server: Server };
  let phone: Phone;

  const netState = () => phone.page.locator('#net-status').getAttribute('data-state');
  const waitForNet = (state: string) => phone.page.waitForFunction(
    (s) => document.getElementById('net-status')?.dataset.state === s, state, { timeout: NOTICED_WITHIN_MS },
  );
  async function reportTo(url: string): Promise<void> {
    await phone.page.click('#open-settings');
    await phone.page.fill('input[name="serverUrl"]', url);
    await phone.page.click('#settings-save');
  }

  before(async () => {
    server = await startFieldServer();
    portal = await startPortal();
    phone = await openPhone(server.origin, { ...nearClint(800), accuracyM: 5 });
  });

  after(async () => {
    const foreign = phone?.foreignRequests ?? [];
    await phone?.close();
    if (!serverStopped) await server?.close();
    await new Promise((resolve) => portal?.server.close(resolve));
    assert.deepEqual(foreign.filter((url) => !url.startsWith(`${portal.origin}/`)), [], 'no request left the machine');
  });

  it('says the server answers when the lindero server the app came from is up', async () => {
    await waitForNet('answering');
    assert.equal(await phone.page.locator('#net-status').innerText(), 'Server answering');
  });

  it('a web server that is not lindero does not count as a server', async () => {
    await reportTo(portal.origin);
    await waitForNet('silent');
    assert.equal(await phone.page.locator('#net-status').innerText(), 'No server answering');
  });

  it('reporting to the lindero server, it answers again', async () => {
    await reportTo(server.origin);
    await waitForNet('answering');
    assert.equal(await phone.page.locator('#net-status').innerText(), 'Server answering');
  });

  it('when the server stops, the page says so, in either language, and the card still answers', async () => {
    await server.close();
    serverStopped = true;
    await waitForNet('silent');
    assert.equal(await phone.page.locator('#net-status').innerText(), 'No server answering');
    await phone.page.click('#lang');
    assert.equal(await phone.page.locator('#net-status').innerText(), 'Ningún servidor responde');
    await phone.page.click('#lang');
    assert.equal(await netState(), 'silent');
    assert.equal(await phone.page.locator('.field-card').count(), 1);
    await screenshot(phone.page, 'field-no-server', { fullPage: true });
  });
});
