// Assertions shared by the layer tests.
import assert from 'node:assert/strict';
import { LinderoError, type Place } from '../../src/model/index.js';

export interface ExpectedError extends Place {
  code: string;
  message?: RegExp;
}

/** Asserts that `action` fails with a LinderoError of the given code, place fields and message pattern; returns it. */
export async function expectLayerError(action: () => unknown, expected: ExpectedError): Promise<LinderoError> {
  let caught: unknown;
  try {
    await action();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof LinderoError, `expected a LinderoError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  const { code, message, ...place } = expected;
  assert.equal(caught.code, code, caught.describe());
  for (const [key, value] of Object.entries(place)) {
    assert.equal(caught.place[key as keyof Place], value, `place.${key} of: ${caught.describe()}`);
  }
  if (message) assert.match(caught.message, message);
  return caught;
}
