// Shared by the incident and evidence tests: a store filled the way the server fills it (fixes
// classified against the default boundary and the illustrative Clint fence, alerts from the track
// rules, an incident opened by the rule), and temporary folders.
import { fileURLToPath } from 'node:url';
import { loadLayers } from '../../src/layers/load-layers.js';
import { classify, type Layers } from '../../src/geo/index.js';
import type { Fix } from '../../src/ingest/index.js';
import { checkpointHead, loadOrCreateEvidenceKey, signCheckpoint, type EvidenceKey } from '../../src/incidents/index.js';
import { IncidentRule } from '../../src/live/index.js';
import { openSqliteStore, type ChainForm, type SqliteStore, type Store } from '../../src/store/index.js';
import { ProximityRules, UnitRules } from '../../src/rules/index.js';
import { tempDir as makeTempDir, type TempDir } from '../helpers/temp.js';

export const FENCE_FILE = fileURLToPath(new URL('../../data/scenarios/clint-fence.geojson', import.meta.url));
export const SCENARIO_FILE = fileURLToPath(new URL('../../data/scenarios/clint.json', import.meta.url));

let layers: Promise<Layers> | undefined;
/** The default boundary and the illustrative Clint fence, loaded once. */
export function clintLayers(): Promise<Layers> {
  return (layers ??= loadLayers(undefined, FENCE_FILE));
}

export function tempDir(prefix = 'lindero-evidence-'): TempDir {
  return makeTempDir(prefix);
}

export const T0 = Date.UTC(2019, 3, 13, 15, 0, 0);

/** A Mexican patrol walking north-east across the Rio Grande at Clint beside a U.S. patrol parked in the strip. */
export function clintFixes(): Fix[] {
  const fixes: Fix[] = [];
  for (let k = 0; k <= 20; k++) {
    const s = k / 20;
    fixes.push({ unit: 'mx-1', time: T0 + k * 15_000, lat: 31.5150 + s * 0.0033, lon: -106.2425 + s * 0.0053, accuracyM: 6, source: 'json' });
    fixes.push({ unit: 'us-1', time: T0 + k * 15_000 + 5000, lat: 31.5181, lon: -106.2368, accuracyM: 4, source: 'osmand' });
  }
  return fixes.sort((a, b) => a.time - b.time);
}

export interface EvidenceStore {
  store: SqliteStore;
  file: string;
  key: EvidenceKey;
  layers: Layers;
}

/**
 * A store with the Clint fixes, the alerts the track rules raise on them, the incident the rule opens,
 * and a checkpoint signed over all of it (unless `sign` is false; 'head-only': signing the chain head
 * only, as checkpoints before schema step 6 did).
 *
 * form 'record' (the default) writes the chain as stores before schema step 6 did, a record per entry;
 * 'commit' writes today's, and stores each 15-second step's two fixes and their alerts in one commit,
 * so that entries have several leaves.
 */
export async function evidenceStore(file: string, sign: boolean | 'head-only' = true, form: ChainForm = 'record'): Promise<EvidenceStore> {
  const store = await openSqliteStore(file, { chainForm: form });
  const key = loadOrCreateEvidenceKey(file);
  return { store, file, key, layers: await fillEvidence(store, key, sign, form) };
}

/** Fills any store (of either kind) as evidenceStore describes, signing with `key`; returns the layers used. */
export async function fillEvidence(store: Store, key: EvidenceKey, sign: boolean | 'head-only', form: ChainForm): Promise<Layers> {
  const l = await clintLayers();
  const rules = new Map<string, UnitRules>();
  const proximity = new ProximityRules();
  const fixes = clintFixes();
  for (let i = 0; i < fixes.length; i += form === 'commit' ? 2 : 1) {
    const step = fixes.slice(i, form === 'commit' ? i + 2 : i + 1).map((fix) => ({ fix, determination: classify(fix, l) }));
    const alerts = step.flatMap(({ fix, determination }) => {
      if (!rules.has(fix.unit)) rules.set(fix.unit, new UnitRules(fix.unit));
      return [...rules.get(fix.unit)!.observe(fix, determination), ...proximity.observe(fix, determination)];
    });
    if (form === 'commit') await store.appendFixesAndAlerts(step, alerts);
    else {
      await store.appendFixes(step);
      for (const alert of alerts) await store.appendAlert(alert);
    }
  }
  await new IncidentRule(store).catchUp();
  if (sign === 'head-only') {
    const head = (await store.chainHead())!;
    await store.appendCheckpoint(signCheckpoint(key, head.n, head.hash, Date.now()));
  } else if (sign) await checkpointHead(store, key);
  return l;
}
