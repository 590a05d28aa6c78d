// Reading what a track reader yields, for the tests of ingest/files: the fixes, the rejected records, or the error that stopped it.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { TrackItem } from '../../src/ingest/index.js';
import { LinderoError, type Fix } from '../../src/model/index.js';

/** A recorded track in test/fixtures/tracks. */
export const trackFixture = (name: string) => fileURLToPath(new URL(`../fixtures/tracks/${name}`, import.meta.url));

/** Every item, split into the fixes and the rejected records. */
export async function collect(items: AsyncIterable<TrackItem>) {
  const fixes: Fix[] = [];
  const rejected: Extract<TrackItem, { kind: 'rejected' }>[] = [];
  for await (const item of items) item.kind === 'fix' ? fixes.push(item.fix) : rejected.push(item);
  return { fixes, rejected };
}

/** Reads until the error, keeping the fixes yielded before it; error is undefined when none came. */
export async function collectUntilError(items: AsyncIterable<TrackItem>): Promise<{ fixes: Fix[]; error: unknown }> {
  const fixes: Fix[] = [];
  try {
    for await (const item of items) if (item.kind === 'fix') fixes.push(item.fix);
  } catch (error) {
    return { fixes, error };
  }
  return { fixes, error: undefined };
}

/** The LinderoError the reader stops with (fails when it ends without one). */
export async function errorOf(items: AsyncIterable<TrackItem>): Promise<LinderoError> {
  return (await fixesThenError(items)).error;
}

/** The fixes yielded before the reader stopped, and the LinderoError it stopped with (fails when it ends without one). */
export async function fixesThenError(items: AsyncIterable<TrackItem>): Promise<{ fixes: Fix[]; error: LinderoError }> {
  const { fixes, error } = await collectUntilError(items);
  assert.ok(error instanceof LinderoError, `expected a LinderoError, got ${String(error)}`);
  return { fixes, error };
}
