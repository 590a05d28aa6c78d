// From an incident id to what an inquiry gets: its evidence, its bundle and its report.
import { LinderoError, isLinderoError } from '../model/index.js';
import type { Layers } from '../geo/index.js';
import type { Store } from '../store/index.js';
import { gatherEvidence } from './attach.js';
import { buildBundle, type EvidenceBundle } from './bundle.js';
import { foldIncidents } from '../live/index.js';
import type { EvidenceKey } from './keys.js';
import { renderReport } from './report/html.js';
import type { ReportLangs } from './report/text.js';
import type { IncidentEvidence } from './types.js';
import { verifyBundle, type BundleVerdict } from './verify-bundle.js';

export interface InquiryOptions {
  /** The store's evidence key, to sign a checkpoint when none covers the incident yet. */
  key?: EvidenceKey | null;
  /** 1-sigma accuracy assumed for fixes that carry none, as the server classified them. Default ASSUMED_ACCURACY_M (20). */
  defaultAccuracyM?: number;
  now?: () => number;
}

export async function incidentEvidence(store: Store, layers: Layers, incidentId: number, options: InquiryOptions = {}): Promise<IncidentEvidence> {
  const incident = foldIncidents(await store.incidentRecords(incidentId))[0];
  if (!incident) throw new LinderoError('unknown-incident', `there is no incident ${incidentId}`, { field: 'incident' });
  return gatherEvidence(store, layers, incident, { defaultAccuracyM: options.defaultAccuracyM });
}

export async function incidentBundle(store: Store, layers: Layers, incidentId: number, options: InquiryOptions = {}): Promise<EvidenceBundle> {
  const evidence = await incidentEvidence(store, layers, incidentId, options);
  return buildBundle(store, evidence, options.key ?? null, options.now);
}

export interface InquiryReport {
  html: string;
  evidence: IncidentEvidence;
  bundle: EvidenceBundle | null;
  verdict: BundleVerdict | null;
}

/** The report of an incident; its verification is of the bundle built from the store as it is now. */
export async function incidentReport(
  store: Store, layers: Layers, incidentId: number, options: InquiryOptions & { langs?: ReportLangs; subtitle?: string } = {},
): Promise<InquiryReport> {
  const evidence = await incidentEvidence(store, layers, incidentId, options);
  let bundle: EvidenceBundle | null = null;
  let unavailable: string | undefined;
  try {
    bundle = await buildBundle(store, evidence, options.key ?? null, options.now);
  } catch (e) {
    if (!isLinderoError(e)) throw e;
    unavailable = e.message;
  }
  const verdict = bundle ? verifyBundle(bundle) : null;
  const html = renderReport({
    evidence, layers, verification: { bundle, verdict, unavailable }, generatedMs: (options.now ?? Date.now)(),
    langs: options.langs ?? ['en', 'es'], subtitle: options.subtitle,
  });
  return { html, evidence, bundle, verdict };
}
