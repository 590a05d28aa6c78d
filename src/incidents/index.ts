// Incidents, the tamper-evident evidence chain, evidence bundles and the inquiry report.
export type { Incident, IncidentCrossing, IncidentEvidence, IncidentPlace, IncidentRequest, OpenedBy, UnitEvidence } from './types.js';
export { foldIncidents } from '../live/index.js';
export { IncidentService } from './service.js';
export { incidentRequest, requestTime } from './request.js';
export { gatherEvidence, type AttachOptions } from './attach.js';
export { incidentBundle, incidentEvidence, incidentReport, type InquiryOptions, type InquiryReport } from './inquiry.js';
export {
  buildBundle, bundleRecords, evidenceRecords, BUNDLE_FORMAT, CHAIN_RULE, MERKLE_RULE, type BundleEntry, type BundleProofEntry, type BundleRecord,
  type EvidenceBundle, type EvidenceBundleV1, type EvidenceBundleV2,
} from './bundle.js';
export { parseBundle, MAX_BUNDLE_BYTES } from './bundle-parse.js';
export { verifyBundle, type BundleVerdict, type VerifyBundleOptions } from './verify-bundle.js';
export { verifyStoreChain, type ChainProblem, type ChainProblemKind, type ChainVerdict, type VerifyChainOptions } from './verify-chain.js';
export {
  checkpointCovering, checkpointHead, checkpointMessage, checkpointSignatureValid, Checkpointer, entryTree, entryTreeRoot, signCheckpoint,
} from './checkpoint.js';
export {
  evidenceKeyFiles, existingEvidenceKey, keyFingerprint, loadOrCreateEvidenceKey, publicKeyFromPem, publishedPublicKey, type EvidenceKey,
} from './keys.js';
export { layersRecord, recordLayers } from './layers-policy.js';
export { renderReport, type ReportInput } from './report/html.js';
export { renderPdf, DEFAULT_CHROMIUM, type PdfOptions } from './report/pdf.js';
export type { ReportLangs } from './report/text.js';
export { incidentsRoutes, type IncidentsPluginOptions } from './routes.js';
export { evidenceJson, incidentJson } from './wire.js';
export { loadScenario, scenarioDurationS, scenarioFixes, type Scenario, type ScenarioFix, type ScenarioUnit, type ScenarioWaypoint } from './scenario.js';
export { replayScenario, type ReplayOptions, type ReplayResult, type ReplayTarget } from './replay.js';
