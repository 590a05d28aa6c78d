import { stat } from 'node:fs/promises';
import { LinderoError } from '../model/index.js';
import { ASSUMED_ACCURACY_M } from '../geo/index.js';
import { analyzeTrackFiles, DEFAULT_GAP_MS, estimateItems, PROGRESS_MIN_BYTES, ProgressBar, trackReportGeoJson, trackReportJson, trackReportText, type RejectedRecord, type TrackReport } from '../analysis/index.js';
import { language, parseArgs, positiveNumber } from './args.js';
import type { CommandIo } from './io.js';
import { loadLayers } from '../layers/node.js';

export const TRACK_HELP = `Usage: lindero track FILE... [--boundary F] [--fence F] [--accuracy M] [--gap SECONDS] [--json | --geojson] [--lang en|es]

Did the unit cross the line, when, where, and how close did it come? Reads recorded tracks (GPX, KML/KMZ,
GeoJSON, CSV/TSV, NMEA 0183 logs; told apart by content), any number of units per file.
  --boundary F   boundary layer; default: the U.S.–Mexico line
  --fence F      fence layer (for time in the strip between fence and line)
  --accuracy M   1-sigma accuracy in metres for fixes that carry none (default 20, assumed and said to be)
  --gap SECONDS  fixes further apart than this are a gap (default 300); a side change across a gap is
                 reported as a gap crossing with its time window, not a guessed instant
  --json         the report as JSON
  --geojson      tracks, crossing points, closest approaches and emergencies as a GeoJSON FeatureCollection
  --lang en|es   language of the plain report (default en)

Crossings: where the straight segment between two fixes meets the line, timed at constant speed. One is
confirmed when the unit was settled (beyond 3 sigma) on the near side before it and on the far side after
it; jitter along the line gives unconfirmed crossings. Closest approach: the recorded fix nearest the
line. Time in each territory counts the time between fixes, not gaps. Fixes are taken in device-time
order per unit (up to 64 out of place are put back); older ones, repeats and unreadable records are
listed as rejected. Records that are no position reports — GPX waypoints and route points beside a track
(marked or planned places), NMEA epochs in which the receiver says it has no fix — are listed too
("not_a_report" in JSON), and are no error. A fix that declared or cancelled an emergency (a SPOT SOS, an
inReach SOS in a kept Garmin post) is listed first, where it was.
Exit status: 0 every record used (or only records that are no position reports left out); 2 bad usage or
input (some records rejected: the report is complete for the rest); 1 failure.`;

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const args = parseArgs(argv, { values: ['boundary', 'fence', 'accuracy', 'gap', 'lang'], flags: ['json', 'geojson', 'help'] });
  if (args.flags.has('help')) {
    io.out(TRACK_HELP + '\n');
    return 0;
  }
  if (args.flags.has('json') && args.flags.has('geojson')) throw new LinderoError('usage', '--json and --geojson cannot be used together', { field: 'geojson' });
  const files = args.positionals;
  if (files.length === 0) throw new LinderoError('usage', 'give at least one track file (lindero track --help)');
  const defaultAccuracyM = positiveNumber(args.options.accuracy, 'accuracy', ASSUMED_ACCURACY_M);
  const gapMs = gapOption(args.options.gap);
  const lang = language(args.options.lang);
  const totalBytes = await checkFiles(files);
  const layers = await loadLayers(args.options.boundary, args.options.fence);
  for (const note of layers.notes) io.err(`note: ${note}\n`);
  const bar = process.stderr.isTTY && totalBytes > PROGRESS_MIN_BYTES ? new ProgressBar(io.err, await estimateItems(files)) : undefined;
  let report: TrackReport;
  try {
    report = await analyzeTrackFiles(files, layers, {
      defaultAccuracyM, gapMs, keepTrack: args.flags.has('geojson'), onProgress: bar && ((n) => bar.update(n)),
    });
  } finally {
    bar?.done();
  }
  if (args.flags.has('geojson')) {
    for (const piece of batched(trackReportGeoJson(report))) await io.write(piece);
  } else if (args.flags.has('json')) {
    await io.write(JSON.stringify(trackReportJson(report)) + '\n');
  } else {
    await io.write(trackReportText(report, lang));
  }
  const refused = report.rejected.filter((r) => !r.notAReport);
  const notReports = report.rejected.length - refused.length;
  if (notReports > 0) io.err(`lindero track: ${notReports} ${notReports === 1 ? 'record was' : 'records were'} no position report (a waypoint beside a track, a receiver without a fix, a line drawn without times…): not read, and no error (listed under "rejected", each with why)\n`);
  if (refused.length === 0) return 0;
  io.err(`lindero track: ${rejectedSummary(refused)} could not be used (listed under "rejected")\n`);
  return 2;
}

function gapOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_GAP_MS;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new LinderoError('usage', `--gap must be a positive number of seconds, not ${JSON.stringify(value)}`, { field: 'gap' });
  }
  return seconds * 1000;
}

/** Every file must exist and be a file before anything is read; returns their total size. */
async function checkFiles(files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) {
    const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
      throw new LinderoError('file-unreadable', `cannot read the track file: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, { file });
    });
    if (!info.isFile()) throw new LinderoError('file-unreadable', 'cannot read the track file: it is not a regular file', { file });
    total += info.size;
  }
  return total;
}

/** "3 records in a.csv and 1 in b.gpx" */
function rejectedSummary(rejected: RejectedRecord[]): string {
  const byFile = new Map<string, number>();
  for (const r of rejected) byFile.set(r.file, (byFile.get(r.file) ?? 0) + 1);
  const parts = [...byFile].map(([file, n], i) => `${n}${i === 0 ? (n === 1 ? ' record' : ' records') : ''} in ${file || 'the input'}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
}

/** Joins small pieces into writes of about 64 KB. */
function* batched(pieces: Iterable<string>): Generator<string> {
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= 65536) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
