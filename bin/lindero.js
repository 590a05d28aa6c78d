#!/usr/bin/env node
// The installed command runs the compiled CLI (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
let cli;
if (existsSync(fileURLToPath(compiled))) {
  cli = await import(compiled.href);
} else {
  // A source checkout without a build: run the TypeScript directly.
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
await cli.run();
