// `lindero track`: did this unit cross, when, where, and how close did it come?
import { basename } from 'node:path';
import { isLinderoError } from '../errors.js';
import type { Layers } from '../geo/index.js';
import type { Fix } from '../ingest/fix.js';
import { readTrack, type ReadTrackOptions, type TrackItem } from '../ingest/index.js';
import type { RejectedRecord, TrackReport } from './report.js';
import { UnitAnalysis } from './unit-analysis.js';

export interface AnalyzeOptions {
  /** 1-sigma accuracy for fixes that carry none, metres. Default 5. */
  defaultAccuracyM?: number;
  /** Consecutive fixes further apart in time than this are a gap, ms. Default 5 minutes. */
  gapMs?: number;
  /** A side is settled beyond confirmSigma·σ from the line. Default 3. */
  confirmSigma?: number;
  /** Keep each unit's positions for a track line (GeoJSON output): 16 bytes per fix. */
  keepTrack?: boolean;
  /** Called every 4096 items read, with the count so far. */
  onProgress?: (items: number) => void;
}

export const DEFAULT_GAP_MS = 5 * 60_000;

/** A reader's item; a fix may say which file it came from, for rejections found during the analysis. */
export type AnalysisItem = Exclude<TrackItem, { kind: 'fix' }> | { kind: 'fix'; fix: Fix; file?: string };

/**
 * Analyses a stream of track items (any number of units, interleaved) in bounded memory: per unit a few
 * counters, a reorder window of REORDER_WINDOW fixes and the crossings and gaps found; never the track
 * itself (unless keepTrack). Fixes are expected in device-time order per unit (see REORDER_WINDOW).
 */
export async function analyzeTrack(items: AsyncIterable<AnalysisItem>, layers: Layers, options: AnalyzeOptions = {}): Promise<TrackReport> {
  const rejected: RejectedRecord[] = [];
  const gapMs = options.gapMs ?? DEFAULT_GAP_MS;
  if (!(gapMs > 0)) throw new RangeError(`the gap threshold must be a positive number of ms, not ${gapMs}`);
  const settings = {
    layers,
    gapMs,
    confirmSigma: options.confirmSigma ?? 3,
    classifyOptions: { defaultAccuracyM: options.defaultAccuracyM ?? 5 },
    keepTrack: options.keepTrack ?? false,
    reject: (r: RejectedRecord) => void rejected.push(r),
  };
  const units = new Map<string, UnitAnalysis>();
  let count = 0;
  for await (const item of items) {
    if (item.kind === 'rejected') rejected.push({ file: item.file, line: item.line, reason: item.reason });
    else {
      let unit = units.get(item.fix.unit);
      if (!unit) units.set(item.fix.unit, (unit = new UnitAnalysis(item.fix.unit, settings)));
      unit.add(item.fix, item.file ?? '');
    }
    if ((++count & 4095) === 0) options.onProgress?.(count);
  }
  const reports = [...units.values()].map((u) => u.finish(layers.territories));
  return { units: reports.filter((u) => u.points > 0), rejected, territories: layers.territories, fences: layers.fences !== null };
}

/**
 * The items of several track files in turn, each fix tagged with its file's name. A file that stops
 * being readable part-way (malformed XML, a refused DOCTYPE, not a track at all) keeps what came before
 * and becomes one rejected record naming the place; the next file is read as usual.
 */
export async function* readTrackFiles(paths: string[], options: ReadTrackOptions = {}): AsyncGenerator<AnalysisItem> {
  for (const path of paths) {
    const file = basename(path);
    try {
      for await (const item of readTrack(path, options)) yield item.kind === 'fix' ? { kind: 'fix', fix: item.fix, file } : item;
    } catch (e) {
      if (!isLinderoError(e)) throw e;
      const where = e.place.byte !== undefined ? ` (byte ${e.place.byte})` : '';
      yield { kind: 'rejected', file, line: e.place.line ?? 0, reason: `${e.message}${where}; the rest of the file is not read` };
    }
  }
}
