// Offline track analysis (`lindero track`): recorded tracks in, crossings, closest approach and time in each zone out, on the rules of rules/.
export { analyzeTrack, analyzeTrackFiles, TrackAnalyzer, DEFAULT_GAP_MS, type AnalyzeOptions, type AnalysisItem } from './analyze.js';
export { REORDER_WINDOW } from './unit-analysis.js';
export { trackReportJson, type TrackReport, type UnitReport, type CrossingReport, type ClosestApproach, type GapReport, type RejectedRecord } from './report.js';
export { trackReportText } from './report-text.js';
export { trackReportGeoJson } from './report-geojson.js';
export { estimateItems, ProgressBar, PROGRESS_MIN_BYTES } from './progress.js';
