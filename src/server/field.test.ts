// Field mode's page allows its one inline script by hash, and nothing else inline.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { inlineScriptHashes } from './field.js';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

test('the hashes are of the inline scripts exactly as written, and of no script loaded from a file', () => {
  const inline = "\n'use strict';\nperformance.mark('x');\n";
  const html = `<!doctype html><head><script>${inline}</script><script type="module" crossorigin src="./assets/a.js"></script>`
    + '<script async src="b.js"></script></head><body><script>\u00e9</script></body>';
  assert.deepEqual(inlineScriptHashes(html), [sha(inline), sha('\u00e9')]);
  assert.deepEqual(inlineScriptHashes('<p>no scripts</p>'), []);
});
