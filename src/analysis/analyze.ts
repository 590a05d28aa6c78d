// `lindero track`: did this unit cross, when, where, and how close did it come?
import { basename } from 'node:path';
import { isLinderoError } from '../model/index.js';
import { ASSUMED_ACCURACY_M, type Layers } from '../geo/index.js';
import type { Fix } from '../model/index.js';
import { readTrack, type ReadTrackOptions, type TrackItem } from '../ingest/index.js';
import type { RejectedRecord, TrackReport } from './report.js';
import { UnitAnalysis, type AnalysisSettings } from './unit-analysis.js';

export interface AnalyzeOptions {
  /** 1-sigma accuracy assumed for fixes that carry none, metres. Default ASSUMED_ACCURACY_M (20). */
  defaultAccuracyM?: number;
  /** Consecutive fixes further apart in time than this are a gap, ms. Default 5 minutes. */
  gapMs?: number;
  /** A side is settled beyond confirmSigma·σ from the line. Default 3. */
  confirmSigma?: number;
  /** Keep each unit's positions for a track line (GeoJSON output): 16 bytes per fix. */
  keepTrack?: boolean;
  /**
   * Classify every fix, even where a distance bound proves the result cannot change the report (the
   * report is the same either way; this is for checking that). Default false.
   */
  classifyEveryFix?: boolean;
  /** Called every 4096 items read, with the count so far. */
  onProgress?: (items: number) => void;
}

export const DEFAULT_GAP_MS = 5 * 60_000;

/** A reader's item; a fix may say which file it came from, for rejections found during the analysis. */
export type AnalysisItem = TrackItem | { kind: 'fix'; fix: Fix; file?: string; line?: number };

/**
 * The analysis of a stream of track items (any number of units, interleaved), in bounded memory: per
 * unit a few counters, a reorder window of REORDER_WINDOW fixes and the crossings and gaps found; never
 * the track itself (unless keepTrack). Fixes are expected in device-time order per unit.
 */
export class TrackAnalyzer {
  private readonly settings: AnalysisSettings;
  private readonly units = new Map<string, UnitAnalysis>();
  private readonly rejected: RejectedRecord[] = [];
  private count = 0;

  constructor(private readonly layers: Layers, private readonly options: AnalyzeOptions = {}) {
    const gapMs = options.gapMs ?? DEFAULT_GAP_MS;
    if (!(gapMs > 0)) throw new RangeError(`the gap threshold must be a positive number of ms, not ${gapMs}`);
    this.settings = {
      layers,
      gapMs,
      confirmSigma: options.confirmSigma ?? 3,
      classifyOptions: { defaultAccuracyM: options.defaultAccuracyM ?? ASSUMED_ACCURACY_M },
      keepTrack: options.keepTrack ?? false,
      estimate: !options.classifyEveryFix,
      reject: (r) => void this.rejected.push(r),
    };
  }

  /** One item; `file` names the file a fix came from, for rejections found later. */
  add(item: AnalysisItem, file = ''): void {
    if (item.kind === 'rejected') this.rejected.push({ file: item.file, line: item.line, reason: item.reason, ...(item.notAReport && { notAReport: true }) });
    else {
      let unit = this.units.get(item.fix.unit);
      if (!unit) this.units.set(item.fix.unit, (unit = new UnitAnalysis(item.fix.unit, this.settings)));
      unit.add(item.fix, 'file' in item && item.file !== undefined ? item.file : file, item.line ?? 0);
    }
    if ((++this.count & 4095) === 0) this.options.onProgress?.(this.count);
  }

  /** A record that is not an item of any reader (a file that could not be read on). */
  reject(record: RejectedRecord): void {
    this.rejected.push(record);
  }

  finish(): TrackReport {
    const units = [...this.units.values()];
    const reports = units.map((u) => u.finish(this.layers.territories)).filter((u) => u.points > 0);
    const classified = units.reduce((n, u) => n + u.classifiedFixes, 0);
    return { units: reports, rejected: this.rejected, territories: this.layers.territories, fences: this.layers.fences !== null, classified };
  }
}

/** Analyses a stream of track items (see TrackAnalyzer). */
export async function analyzeTrack(items: AsyncIterable<AnalysisItem>, layers: Layers, options: AnalyzeOptions = {}): Promise<TrackReport> {
  const analyzer = new TrackAnalyzer(layers, options);
  for await (const item of items) analyzer.add(item);
  return analyzer.finish();
}

/**
 * Analyses track files read in turn. A file that stops being readable part-way (malformed XML, a refused
 * DOCTYPE, not a track at all) keeps what came before and becomes one rejected record naming the place;
 * the next file is read as usual.
 */
export async function analyzeTrackFiles(paths: string[], layers: Layers, options: AnalyzeOptions & { read?: ReadTrackOptions } = {}): Promise<TrackReport> {
  const analyzer = new TrackAnalyzer(layers, options);
  for (const path of paths) {
    const file = basename(path);
    try {
      for await (const batch of readTrack(path, options.read).batches()) for (const item of batch) analyzer.add(item, file);
    } catch (e) {
      if (!isLinderoError(e)) throw e;
      const where = e.place.byte !== undefined ? ` (byte ${e.place.byte})` : '';
      analyzer.reject({ file, line: e.place.line ?? 0, reason: `${e.message}${where}; the rest of the file is not read` });
    }
  }
  return analyzer.finish();
}
