import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serveOptions } from './serve.js';

test('--max-connections sets the limit of every device listener (CoT, CoT over TLS, NMEA); none given keeps their default', () => {
  const options = serveOptions(['--max-connections', '20000']);
  assert.ok(options !== 'help');
  assert.deepEqual(options.limits, { cot: { maxConnections: 20000 }, nmea: { maxConnections: 20000 } });
  const plain = serveOptions([]);
  assert.ok(plain !== 'help');
  assert.equal(plain.limits, undefined);
  for (const bad of ['0', '-5', '1.5', 'many', '']) {
    assert.throws(() => serveOptions(['--max-connections', bad]), { code: 'usage', place: { field: 'max-connections' } }, bad);
  }
});
