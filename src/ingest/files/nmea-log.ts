// NMEA 0183 log files: one sentence per line, through the same assembler as the live feed (without
// the live time rule: a log is read at any age). Lines starting with '#' are comments, as in gpsd's logs.
import { NMEA_MAX_LINE_CHARS, NmeaAssembler, type NmeaEvent } from '../nmea.js';
import { readLineBatches } from './lines.js';
import type { ReaderContext, TrackBatches, TrackItem } from './types.js';

export async function* readNmeaLog(chunks: AsyncIterable<string>, ctx: ReaderContext): TrackBatches {
  const assembler = new NmeaAssembler({ unit: ctx.fallbackUnit, source: 'file' });
  const toItems = (events: NmeaEvent[], line: number): TrackItem[] =>
    events.map((e) => (e.kind === 'fix' ? { kind: 'fix', fix: e.fix, line: e.line ?? line }
      : { kind: 'rejected', file: ctx.file, line: e.line ?? line, reason: e.reason, ...(e.noFix && { notAReport: true }) }));
  let lastLine = 0;
  for await (const lines of readLineBatches(chunks, NMEA_MAX_LINE_CHARS)) {
    const batch: TrackItem[] = [];
    for (const item of lines) {
      lastLine = item.line;
      if ('oversizeChars' in item) {
        batch.push({ kind: 'rejected', file: ctx.file, line: item.line, reason: `line is ${item.oversizeChars} characters long; an NMEA sentence has at most 82 (lindero allows ${NMEA_MAX_LINE_CHARS})` });
      } else if (!item.text.startsWith('#')) batch.push(...toItems(assembler.push(item.text, item.line), item.line));
    }
    yield batch;
  }
  yield toItems(assembler.flush(), lastLine);
}
