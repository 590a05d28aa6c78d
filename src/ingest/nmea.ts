// NMEA 0183: sentence checking and an assembler that turns a stream of sentences
// (RMC + GGA + GSA + GST of one epoch) into Fixes. Used for log files and the live TCP listener.
import { parseNmeaSentence, type GGAPacket, type GSAPacket, type GSTPacket, type RMCPacket, type ZDAPacket } from 'nmea-simple';
import { computeNmeaChecksum } from 'nmea-simple/dist/helpers.js';
import { LinderoError, type Place } from '../model/index.js';
import type { Fix, FixSource } from '../model/index.js';
import { checkLatLon, checkTime, inTimeWindow, noteOn, setAccuracy, setAltitude, setCourse, setSpeed, type TimeWindow } from './limits.js';

/** NMEA 0183 limits a sentence to 82 characters including "$" and CRLF; real receivers overrun it a little. */
export const NMEA_MAX_LINE_CHARS = 256;

/**
 * User equivalent range error, metres, 1-sigma, used as accuracy = HDOP × UERE when no GST is sent.
 * gpsd assumes 15 m at 95% per unit HDOP for autonomous fixes and 3.75 m with DGPS (gpsd_error_model);
 * 95% of a circular 2D error is about 2 DRMS, so these are 7.5 m and 1.875 m as 1-sigma (DRMS).
 * We keep gpsd's conservative figure: overstating accuracy would make a verdict "certain" wrongly.
 */
export const HDOP_UERE_M = 7.5;
export const DGPS_UERE_M = 1.875;

/** 1-sigma horizontal accuracy (DRMS) implied by a dilution of precision: HDOP × UERE (the definition of HDOP). */
export function accuracyFromHdop(hdop: number, differential = false): number {
  return hdop * (differential ? DGPS_UERE_M : HDOP_UERE_M);
}

/** GNSS talkers: GPS, multi-constellation, GLONASS, Galileo, BeiDou (two spellings), QZSS (two), NavIC. */
const GNSS_TALKERS = new Set(['GP', 'GN', 'GL', 'GA', 'GB', 'BD', 'GQ', 'QZ', 'GI']);
/**
 * Navigation systems that relay their GNSS receiver's position under their own talker: a chartplotter or
 * fish finder (IN, integrated navigation: a Humminbird's $INRMC in gpsd's test logs), an instrument bus
 * (II) or an electronic chart system (EC). Read, with a note saying so: the position is the receiver's,
 * passed on, and what the system did to it is not known.
 */
const RELAYING_TALKERS: Record<string, string> = { IN: 'integrated navigation', II: 'integrated instrumentation', EC: 'electronic chart system' };
const USED_SENTENCES = new Set(['RMC', 'GGA', 'GSA', 'GST', 'ZDA']);
const KNOTS_TO_MPS = 1852 / 3600;
const DAY_MS = 86_400_000;
/**
 * One era of GPS weeks. Many receivers keep the week number in the 10 bits the satellites broadcast, so
 * after each rollover (22 August 1999, 7 April 2019) until their firmware's pivot is updated they report a
 * date 1024 weeks early, with the time of day and the position right. ntpd's NMEA driver and gpsd correct
 * it the same way: by whole eras, against the receiving clock.
 */
const ROLLOVER_MS = 1024 * 7 * DAY_MS;

export type NmeaPacket = RMCPacket | GGAPacket | GSAPacket | GSTPacket | ZDAPacket;
/** A checked sentence: the decoded packet and the raw fields (to tell an empty field from a zero). */
export interface NmeaSentence {
  packet: NmeaPacket;
  fields: string[];
  /** For a navigation system's talker (RELAYING_TALKERS): what it is. */
  relayedBy?: string;
  /** Sent without a checksum (older receivers: NMEA 0183 before 3.0 made it optional for most sentences). */
  unchecked?: true;
}

/**
 * Checks one line as an NMEA 0183 sentence. Returns null for well-formed sentences lindero does not use
 * (GSV, VTG, proprietary ...); throws LinderoError for garbage, bad checksums and oversize lines.
 */
export function parseNmeaLine(line: string, place: Place = {}): NmeaSentence | null {
  const text = line.replace(/[\r\n]+$/, '');
  if (text.length > NMEA_MAX_LINE_CHARS) {
    throw new LinderoError('nmea-line-too-long', `line is ${text.length} characters long; an NMEA sentence has at most 82 (lindero allows ${NMEA_MAX_LINE_CHARS})`, place);
  }
  // NMEA 0183 §5.3: "$" or "!", printable ASCII, "*hh" checksum over the characters between them. Before 3.0
  // the checksum was optional for most sentences, and older receivers (an HP 58534A, SiRF's $PSRFTXT) leave it
  // off: such a sentence is read, and its fix says it could not be checked. A "*" without two hex digits is garbage.
  const m = /^([$!])([\x20-\x29\x2b-\x7e]*)(?:\*([0-9A-Fa-f]{2}))?$/.exec(text);
  if (!m || !/^[A-Z0-9]{3,}$/.test(m[2].split(',')[0])) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new LinderoError('nmea-garbage', `not an NMEA sentence ("$TTSSS,...*hh" expected): ${JSON.stringify(shown)}`, place);
  }
  const body = m[2];
  const expected = computeNmeaChecksum(m[1] + body);
  const hex = expected.toString(16).toUpperCase().padStart(2, '0');
  if (m[3] !== undefined && expected !== parseInt(m[3], 16)) {
    throw new LinderoError('nmea-checksum', `checksum *${m[3].toUpperCase()} does not match the sentence (computed *${hex}): ${text}`, place);
  }
  const fields = body.split(',');
  const address = fields[0];
  if (m[1] === '!' || address.startsWith('P')) return null; // AIS encapsulation or proprietary
  const talker = address.slice(0, 2);
  const type = address.slice(2);
  if (!USED_SENTENCES.has(type)) return null;
  const relayedBy = RELAYING_TALKERS[talker];
  if (!GNSS_TALKERS.has(talker) && relayedBy === undefined) {
    // GSA, GST and ZDA carry no position: another talker's are skipped, not refused.
    if (type === 'GSA' || type === 'GST' || type === 'ZDA') return null;
    throw new LinderoError('nmea-talker', `talker "${talker}" is not a GNSS receiver (expected one of ${[...GNSS_TALKERS].join(', ')}, or a navigation system relaying one: ${Object.keys(RELAYING_TALKERS).join(', ')})`, place);
  }
  // nmea-simple reads only sentences with a checksum: one without is given its own.
  const sentence: NmeaSentence = { packet: parseNmeaSentence(m[3] === undefined ? `${text}*${hex}` : text) as NmeaPacket, fields };
  if (relayedBy !== undefined) sentence.relayedBy = `${talker} (${relayedBy})`;
  if (m[3] === undefined) sentence.unchecked = true;
  return sentence;
}

/** "hhmmss[.sss]" → ms since midnight UTC, or a reason. */
function timeOfDayMs(raw: string): number | string {
  const m = /^(\d{2})(\d{2})(\d{2})(\.\d+)?$/.exec(raw);
  if (!m) return `time "${raw}" is not hhmmss[.ss]`;
  const [h, min, s] = [+m[1], +m[2], +m[3]];
  if (h > 23 || min > 59 || s > 60) return `time "${raw}" is out of range`;
  return ((h * 60 + min) * 60 + s) * 1000 + Math.round(Number(m[4] ?? 0) * 1000);
}

/** Checks a "ddmm.mmmm" / "dddmm.mmmm" field and its hemisphere letter; the library decodes it once valid. */
function coordProblem(raw: string, hemi: string, axis: 'lat' | 'lon'): string | null {
  const re = axis === 'lat' ? /^(\d{2})(\d{2}(?:\.\d*)?)$/ : /^(\d{3})(\d{2}(?:\.\d*)?)$/;
  const m = re.exec(raw);
  const hemis = axis === 'lat' ? 'NS' : 'EW';
  if (!m) return `${axis === 'lat' ? 'latitude' : 'longitude'} "${raw}" is not ${axis === 'lat' ? 'ddmm.mm' : 'dddmm.mm'}`;
  if (hemi.length !== 1 || !hemis.includes(hemi)) return `hemisphere "${hemi}" is not ${hemis[0]} or ${hemis[1]}`;
  if (+m[2] >= 60 || +m[1] > (axis === 'lat' ? 90 : 180)) return `${axis === 'lat' ? 'latitude' : 'longitude'} "${raw}" is out of range`;
  return null;
}

function optionalNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

interface EpochPosition { lat: number; lon: number }
interface Epoch {
  timeOfDayMs: number;
  firstLine?: number;
  /** noFix: the receiver said it had no fix (RMC status V or mode N, GGA quality 0), which is no error in the input. */
  rmc?: EpochPosition & { dateMs: number; problem?: string; noFix?: boolean; differential: boolean; speedMps?: number; courseDeg?: number };
  gga?: EpochPosition & { problem?: string; noFix?: boolean; differential: boolean; altM?: number; hdop?: number };
  /** The navigation system that relayed the position (RELAYING_TALKERS), when not a receiver's own talker. */
  relayedBy?: string;
  /** Its RMC and GGA sentences that came without a checksum. */
  unchecked?: string[];
  /** The UTC date a ZDA of this epoch gave (ms of its midnight): receivers that send GGA and ZDA but no RMC. */
  zdaDateMs?: number;
  gstAccuracyM?: number;
  gsa?: { hdop?: number; pdop?: number };
}

/**
 * A fix (with the line its epoch began at), or a sentence or epoch not used and why. `noFix`: the receiver
 * itself said it had no fix (no time and no position yet, RMC status V, GGA quality 0): nothing to report,
 * which is no error in the input.
 */
export type NmeaEvent =
  | { kind: 'fix'; fix: Fix; line?: number }
  | { kind: 'rejected'; line?: number; reason: string; noFix?: true };

export interface NmeaAssemblerOptions {
  /** Unit id given to every fix (NMEA carries none). */
  unit: string;
  /** 'nmea' for a live feed, 'file' for a log file. */
  source?: FixSource;
  /** The live time rule (limits.ts) for a live feed; a log file is read at any age (leave it out). */
  time?: TimeWindow;
}

// RMC status/mode letters (NMEA 0183 v2.3+ field 12): only A (autonomous) and D (differential) are real fixes.
const RMC_MODE_PROBLEMS: Record<string, string> = {
  E: 'RMC mode E: dead reckoning, not a satellite fix', M: 'RMC mode M: position entered by hand',
  S: 'RMC mode S: simulator', N: 'RMC mode N: data not valid',
};
// GGA quality (field 6): 0 no fix, 1 GPS, 2 DGPS, 3 PPS, 4 RTK fixed, 5 RTK float, 6 estimated, 7 manual, 8 simulation.
const GGA_QUALITY_PROBLEMS: Record<number, string> = {
  0: 'GGA fix quality 0: no fix', 6: 'GGA fix quality 6: dead reckoning, not a satellite fix',
  7: 'GGA fix quality 7: position entered by hand', 8: 'GGA fix quality 8: simulator',
};

/**
 * Assembles the sentences of one receiver into Fixes. One instance per unit; feed lines in order.
 *
 * Epoch rule: RMC, GGA and GST carry the UTC time of day; sentences with the same time belong to one epoch,
 * and GSA (no time) belongs to the epoch in progress. An epoch becomes a fix when it is complete (RMC, GGA
 * and GST all seen: nothing can improve it), when a sentence with another time arrives, or on flush()
 * (end of file, connection closed, or the live listener's idle timer).
 *
 * Date: RMC carries it, and ZDA (time and date, which receivers that send no RMC send beside GGA: Hemisphere,
 * timing receivers). An epoch without either takes the last date seen; if that would put it more than 12 h
 * before the previous fix, the clock has passed midnight and the next day is used.
 */
export class NmeaAssembler {
  private readonly unit: string;
  private readonly source: FixSource;
  private readonly time?: TimeWindow;
  private current?: Epoch;
  private pendingGsa?: Epoch['gsa'];
  private lastEmittedTimeOfDayMs?: number;
  private lastDateMs?: number;
  private lastFixTimeMs?: number;
  /** Eras of GPS weeks added to the last date (see ROLLOVER_MS): 0 for a receiver with the right date. */
  private lastDateEras = 0;
  /** The sentence the last date came from, for the rollover note. */
  private lastDateFrom: 'RMC' | 'ZDA' = 'RMC';

  constructor(opts: NmeaAssemblerOptions) {
    this.unit = opts.unit;
    this.source = opts.source ?? 'nmea';
    this.time = opts.time;
  }

  /** Feeds one line (CR/LF tolerated). Bad lines come back as 'rejected' events; nothing is thrown. */
  push(line: string, lineNo?: number): NmeaEvent[] {
    if (line.trim() === '') return [];
    let sentence: NmeaSentence | null;
    try {
      sentence = parseNmeaLine(line.trimEnd(), lineNo === undefined ? {} : { line: lineNo });
    } catch (e) {
      if (e instanceof LinderoError) return [{ kind: 'rejected', line: lineNo, reason: e.message }];
      return [{ kind: 'rejected', line: lineNo, reason: `unreadable sentence: ${(e as Error).message}` }];
    }
    if (!sentence) return [];
    const { packet, fields } = sentence;
    if (packet.sentenceId === 'GSA') {
      const gsa = { hdop: optionalNumber(fields[16]), pdop: optionalNumber(fields[15]) };
      if (fields[2] === '1') return []; // GSA mode 1: no fix, its DOPs are meaningless
      if (this.current) this.current.gsa ??= gsa;
      else this.pendingGsa = gsa;
      return [];
    }
    const tod = timeOfDayMs(fields[1]);
    if (typeof tod === 'string') {
      // "$GPGGA,,,,,,0,,,,M,,M,,*66": a receiver before its first fix sends neither time nor position.
      if (packet.sentenceId === 'ZDA' && fields.slice(1, 5).every((f) => f === '')) return [];
      const lat = packet.sentenceId === 'RMC' ? fields[3] : packet.sentenceId === 'GGA' ? fields[2] : '';
      if (fields[1] === '' && !lat) return [{ kind: 'rejected', line: lineNo, reason: `${packet.sentenceId}: no time and no position: the receiver has no fix yet`, noFix: true }];
      return [{ kind: 'rejected', line: lineNo, reason: `${packet.sentenceId}: ${tod}` }];
    }
    if (tod === this.lastEmittedTimeOfDayMs && !this.current) return []; // late sentence of an epoch already emitted
    const out: NmeaEvent[] = [];
    if (this.current && this.current.timeOfDayMs !== tod) out.push(...this.flush());
    const epoch = (this.current ??= { timeOfDayMs: tod, firstLine: lineNo, gsa: this.takePendingGsa() });
    if (packet.sentenceId === 'RMC' || packet.sentenceId === 'GGA') {
      if (sentence.relayedBy) epoch.relayedBy ??= sentence.relayedBy;
      if (sentence.unchecked) (epoch.unchecked ??= []).push(packet.sentenceId);
    }
    const problem = this.merge(epoch, packet, fields);
    if (problem) out.push({ kind: 'rejected', line: lineNo, reason: `${packet.sentenceId}: ${problem}` });
    if (epoch.rmc && epoch.gga && epoch.gstAccuracyM !== undefined) out.push(...this.flush());
    return out;
  }

  /** Closes the epoch in progress, if any. */
  flush(): NmeaEvent[] {
    const epoch = this.current;
    if (!epoch) return [];
    this.current = undefined;
    this.lastEmittedTimeOfDayMs = epoch.timeOfDayMs;
    if (epoch.rmc || epoch.gga) return [this.close(epoch)];
    // A ZDA of its own second: no position, but the date for the GGAs that follow.
    if (epoch.zdaDateMs !== undefined) this.adoptDate(epoch.zdaDateMs, epoch.timeOfDayMs, 'ZDA');
    return [];
  }

  private takePendingGsa(): Epoch['gsa'] {
    const gsa = this.pendingGsa;
    this.pendingGsa = undefined;
    return gsa;
  }

  /** Adds one sentence to the epoch; returns a reason when its fields are unusable. */
  private merge(epoch: Epoch, packet: NmeaPacket, f: string[]): string | null {
    if (packet.sentenceId === 'ZDA') {
      const date = zdaDateMs(f[2], f[3], f[4]);
      if (typeof date === 'string') return date;
      epoch.zdaDateMs ??= date;
      return null;
    }
    if (packet.sentenceId === 'GST') {
      const latSigma = optionalNumber(f[6]);
      const lonSigma = optionalNumber(f[7]);
      // 1-sigma horizontal (DRMS) = sqrt(σlat² + σlon²), the same quantity HDOP × UERE estimates.
      if (latSigma !== undefined && lonSigma !== undefined && latSigma > 0 && lonSigma > 0) {
        epoch.gstAccuracyM = Math.hypot(latSigma, lonSigma);
      }
      return null;
    }
    if (packet.sentenceId === 'RMC') {
      if (epoch.rmc) return null; // GPRMC and GNRMC of one epoch: keep the first
      const status = f[2] === 'A' ? undefined : `RMC status ${f[2] || '(empty)'}: receiver warning, no valid fix`;
      const mode = f[12] ?? '';
      const problem = status ?? RMC_MODE_PROBLEMS[mode] ?? coordProblem(f[3], f[4], 'lat') ?? coordProblem(f[5], f[6], 'lon');
      const dateMs = problem ? NaN : rmcDateMs(packet, f[9]);
      if (typeof dateMs === 'string') return dateMs;
      const course = optionalNumber(f[8]);
      const knots = optionalNumber(f[7]);
      epoch.rmc = {
        lat: packet.latitude, lon: packet.longitude, dateMs, problem: problem ?? undefined, noFix: status !== undefined || mode === 'N', differential: mode === 'D',
        speedMps: knots === undefined ? undefined : knots * KNOTS_TO_MPS,
        courseDeg: course,
      };
      return null;
    }
    if (packet.sentenceId === 'GGA') {
      if (epoch.gga) return null;
      const quality = f[6] === '' ? NaN : Number(f[6]);
      const problem = Number.isInteger(quality)
        ? GGA_QUALITY_PROBLEMS[quality] ?? coordProblem(f[2], f[3], 'lat') ?? coordProblem(f[4], f[5], 'lon')
        : `GGA fix quality "${f[6]}" is not a number`;
      epoch.gga = {
        lat: packet.latitude, lon: packet.longitude, problem: problem ?? undefined, noFix: quality === 0, differential: quality === 2,
        altM: optionalNumber(f[9]), hdop: optionalNumber(f[8]),
      };
    }
    return null;
  }

  private close(epoch: Epoch): NmeaEvent {
    const at = `epoch ${formatTimeOfDay(epoch.timeOfDayMs)} UTC`;
    const problem = epoch.rmc?.problem ?? epoch.gga?.problem;
    if (problem) {
      const rejected: Extract<NmeaEvent, { kind: 'rejected' }> = { kind: 'rejected', line: epoch.firstLine, reason: `${at}: ${problem}` };
      if (epoch.rmc?.problem ? epoch.rmc.noFix : epoch.gga?.noFix) rejected.noFix = true;
      return rejected;
    }
    const time = this.epochTimeMs(epoch);
    if (time === undefined) {
      return { kind: 'rejected', line: epoch.firstLine, reason: `${at}: no date (GGA carries only the time of day and no RMC or ZDA has been seen yet)` };
    }
    const pos = (epoch.gga ?? epoch.rmc)!;
    try {
      checkLatLon(pos.lat, pos.lon, 'latitude', 'longitude');
      if (this.time) checkTime(time, 'time', this.time);
    } catch (e) {
      if (!(e instanceof LinderoError)) throw e;
      return { kind: 'rejected', line: epoch.firstLine, reason: `${at}: ${e.message}` };
    }
    const fix: Fix = { unit: this.unit, time, lat: pos.lat, lon: pos.lon, source: this.source };
    if (epoch.unchecked) noteOn(fix, epoch.unchecked.join(' and '), `came without a checksum: ${epoch.unchecked.length > 1 ? 'they' : 'it'} could not be checked for damage on the way`);
    if (epoch.relayedBy) noteOn(fix, 'talker', `${epoch.relayedBy} is a navigation system passing on its receiver's position, not the receiver itself`);
    if (this.lastDateEras > 0) {
      noteOn(fix, `${this.lastDateFrom}.date`, `was ${1024 * this.lastDateEras} weeks behind the receiving clock (the receiver's GPS week-number rollover); read that much later`);
    }
    // The same range rules as every other source: an odd value costs itself, with a note.
    setAccuracy(fix, epochAccuracyM(epoch), 'accuracy');
    setAltitude(fix, epoch.gga?.altM, 'GGA.altitude');
    setSpeed(fix, epoch.rmc?.speedMps, 'RMC.speed');
    setCourse(fix, epoch.rmc?.courseDeg, 'RMC.course');
    this.lastFixTimeMs = time;
    return epoch.firstLine === undefined ? { kind: 'fix', fix } : { kind: 'fix', fix, line: epoch.firstLine };
  }

  private epochTimeMs(epoch: Epoch): number | undefined {
    if (epoch.rmc) return this.adoptDate(epoch.rmc.dateMs, epoch.timeOfDayMs, 'RMC');
    if (epoch.zdaDateMs !== undefined) return this.adoptDate(epoch.zdaDateMs, epoch.timeOfDayMs, 'ZDA');
    if (this.lastDateMs === undefined) return undefined;
    let time = this.lastDateMs + epoch.timeOfDayMs;
    if (this.lastFixTimeMs !== undefined && time < this.lastFixTimeMs - DAY_MS / 2) {
      this.lastDateMs += DAY_MS; // passed midnight since the last RMC
      time += DAY_MS;
    }
    return time;
  }

  /** Takes a date a sentence gave (corrected for a week rollover, see rolloverEras) as the last date; returns the epoch's time. */
  private adoptDate(dateMs: number, timeOfDayMs: number, from: 'RMC' | 'ZDA'): number {
    this.lastDateEras = this.rolloverEras(dateMs + timeOfDayMs);
    this.lastDateMs = dateMs + this.lastDateEras * ROLLOVER_MS;
    this.lastDateFrom = from;
    return this.lastDateMs + timeOfDayMs;
  }

  /**
   * A live feed's RMC time too old to take, which whole eras of GPS weeks later (up to three) would be a time
   * the live rule takes: how many eras (see ROLLOVER_MS); 0 otherwise, and always for a log file (no clock to
   * hold it against: a log may be old).
   */
  private rolloverEras(timeMs: number): number {
    if (!this.time || inTimeWindow(timeMs, this.time)) return 0;
    for (let eras = 1; eras <= 3; eras++) if (inTimeWindow(timeMs + eras * ROLLOVER_MS, this.time)) return eras;
    return 0;
  }
}

/** GST first (measured), else HDOP (GSA's, which often has more digits, else GGA's) × UERE, else PDOP × UERE. */
function epochAccuracyM(epoch: Epoch): number | undefined {
  if (epoch.gstAccuracyM !== undefined) return epoch.gstAccuracyM;
  const differential = Boolean(epoch.gga?.differential || epoch.rmc?.differential);
  const hdop = positive(epoch.gsa?.hdop) ?? positive(epoch.gga?.hdop);
  if (hdop !== undefined) return accuracyFromHdop(hdop, differential);
  const pdop = positive(epoch.gsa?.pdop); // PDOP ≥ HDOP, so this errs on the safe side
  return pdop === undefined ? undefined : accuracyFromHdop(pdop, differential);
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

/** RMC date "ddmmyy" → ms of that UTC midnight; years < 73 are 20yy (the library's rule, GPS began in 1973). */
function rmcDateMs(packet: RMCPacket, raw: string): number | string {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(raw);
  const d = packet.datetime;
  if (!m || Number.isNaN(d.getTime()) || d.getUTCDate() !== +m[1] || d.getUTCMonth() + 1 !== +m[2]) {
    return `date "${raw}" is not a valid ddmmyy`;
  }
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/** ZDA day, month and four-digit year → ms of that UTC midnight, or a reason. */
function zdaDateMs(day: string, month: string, year: string): number | string {
  const d = /^\d{2}$/.test(day) ? +day : NaN, m = /^\d{2}$/.test(month) ? +month : NaN, y = /^\d{4}$/.test(year) ? +year : NaN;
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (!(y >= 1980) || back.getUTCDate() !== d || back.getUTCMonth() !== m - 1) return `date "${day},${month},${year}" is not a valid day, month and year`;
  return ms;
}

function formatTimeOfDay(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}
