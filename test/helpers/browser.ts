// What the dashboard and field-mode browser tests share: where artifacts go, Debian's chromium, a real
// lindero server on 127.0.0.1 with its store in a temporary folder, and screenshots.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CHROMIUM = '/usr/bin/chromium';

/** Throws a clear error when Debian's chromium is not installed (the tests never download a browser). */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
}

export interface TestServer {
  server: RunningServer;
  /** http://127.0.0.1:PORT */
  origin: string;
  close(): Promise<void>;
}

/** startServer on 127.0.0.1, a free HTTP port, the store `dbName` in a new temporary folder removed on close. */
export async function startServerInTempDir(prefix: string, dbName: string, options: ServerOptions): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const server = await startServer({ host: '127.0.0.1', port: 0, db: join(dir, dbName), ...options });
  return {
    server,
    origin: `http://127.0.0.1:${server.ports.http}`,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false });
  return path;
}
