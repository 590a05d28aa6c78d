// Shared by the store's tests: real-looking fixes and determinations, and temporary store files.
import type { Determination } from '../../src/geo/index.js';
import { LinderoError, type Alert, type Fix } from '../../src/model/index.js';
import type { FixToAppend } from '../../src/store/index.js';
import { tempDir as makeTempDir, type TempDir } from './temp.js';

export function determinationAt(lat: number, lon: number, distanceM = 120, inStrip = false): Determination {
  return {
    lat,
    lon,
    territory: lat >= 31.7833 ? 'US' : 'MX',
    outside: false,
    boundary: {
      distanceM,
      nearest: { lat: 31.7833, lon },
      bearingDeg: lat >= 31.7833 ? 180 : 0,
      otherTerritory: lat >= 31.7833 ? 'MX' : 'US',
      name: 'US-MX 1853 parallel 31°47′',
      between: ['US', 'MX'],
    },
    accuracyM: 5,
    accuracyAssumed: false,
    lineUncertaintyM: 0,
    uncertaintyM: 5,
    uncertaintyDominant: 'position',
    confidence: 0.9999,
    certain: true,
    fence: { name: 'Primary fence', side: inStrip ? 'boundary' : 'inland', distanceM: 3, illustrative: false },
    zone: inStrip ? 'strip' : 'inland',
  };
}

export function fixToAppend(unit: string, time: number, lat: number, lon: number, extra: Partial<Fix> = {}): FixToAppend {
  return { fix: { unit, time, lat, lon, source: 'json', ...extra }, determination: determinationAt(lat, lon) };
}

export function alertFor(unit: string, time: number, kind: Alert['kind'] = 'approach'): Alert {
  return { kind, unit, time, determination: determinationAt(31.78, -108.2, 40) };
}

/** A fresh directory for one test's files; remove() deletes it. */
export function tempDir(prefix = 'lindero-store-'): TempDir {
  return makeTempDir(prefix);
}

/** A seeded generator of numbers in [0, 1) (mulberry32), so "random" tests run the same every time. */
export { seeded as seededRandom } from './geodesic-oracle.js';

const NUMBERED_T0 = Date.UTC(2025, 0, 1);

/** Fix number `index` of an endless, reproducible feed from seven units. */
export function numberedFix(index: number): FixToAppend {
  return fixToAppend(`unit-${index % 7}`, NUMBERED_T0 + index * 1000, 31 + (index % 1000) / 1e4, -106 - index / 1e6);
}

/** What stands in for some of a store's methods: each is given the store's own (`real`) and the call's arguments. */
export type StoreWrap<S> = Partial<Record<keyof S, (real: (...args: any[]) => any, ...args: any[]) => unknown>>;

/** The store seen through `wrap` (its other methods and properties are the store's own). */
export function wrappedStore<S extends object>(store: S, wrap: StoreWrap<S>): S {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      const around = wrap[key as keyof S];
      if (!around || typeof value !== 'function') return value;
      const real = (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args);
      return (...args: unknown[]) => around(real, ...args);
    },
  });
}

/**
 * A stand-in for a store's read that fails, as a transaction cut off by the server does, while `failing()`
 * says so (it is asked at each call), and reads through otherwise.
 */
export function cutOffWhile(failing: () => boolean) {
  return (real: (...args: unknown[]) => unknown, ...args: unknown[]) => (failing()
    ? Promise.reject(new LinderoError('store-io', 'the transaction was cut off (a test); nothing in it was stored'))
    : real(...args));
}
