import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NmeaAssembler, parseNmeaLine, HDOP_UERE_M, DGPS_UERE_M, type NmeaEvent } from './nmea.js';
import { LinderoError } from '../model/index.js';

/** Wraps a sentence body in "$...*hh" with its checksum (XOR of the bytes between "$" and "*"). */
function nmea(body: string): string {
  let sum = 0;
  for (const ch of body) sum ^= ch.charCodeAt(0);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}

function feed(lines: string[], source?: 'nmea' | 'file'): NmeaEvent[] {
  const a = new NmeaAssembler({ unit: 'truck-7', source });
  const out = lines.flatMap((l, i) => a.push(l, i + 1));
  return [...out, ...a.flush()];
}

const fixes = (events: NmeaEvent[]) => events.flatMap((e) => (e.kind === 'fix' ? [e.fix] : []));
const rejections = (events: NmeaEvent[]) => events.flatMap((e) => (e.kind === 'rejected' ? [e] : []));

// The textbook pair (NMEA reference examples): 12:35:19 UTC on 23 March 1994, 48°07.038'N 11°31.000'E.
const RMC = '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A';
const GGA = '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47';

test('an RMC and a GGA of the same second become one fix with date, altitude, speed and course', () => {
  const [fix] = fixes(feed([RMC, GGA]));
  assert.equal(fix.time, Date.UTC(1994, 2, 23, 12, 35, 19));
  assert.ok(Math.abs(fix.lat - (48 + 7.038 / 60)) < 1e-12);
  assert.ok(Math.abs(fix.lon - (11 + 31 / 60)) < 1e-12);
  assert.equal(fix.altM, 545.4);
  assert.ok(Math.abs(fix.speedMps! - 22.4 * 0.514444) < 1e-4, 'knots to m/s');
  assert.equal(fix.courseDeg, 84.4);
  assert.equal(fix.accuracyM, 0.9 * HDOP_UERE_M);
  assert.equal(fix.unit, 'truck-7');
  assert.equal(fix.source, 'nmea');
});

test('the source can be set to file for logs', () => {
  assert.equal(fixes(feed([RMC, GGA], 'file'))[0].source, 'file');
});

test('a GST gives accuracy as sqrt(lat sigma² + lon sigma²) and completes the epoch at once', () => {
  const a = new NmeaAssembler({ unit: 'u' });
  assert.deepEqual(a.push(nmea('GNRMC,000001.00,A,3133.620,N,10613.420,W,0.5,180.0,010124,,,A')), []);
  assert.deepEqual(a.push(nmea('GNGGA,000001.00,3133.620,N,10613.420,W,1,12,0.8,1100.0,M,-20.0,M,,')), []);
  const out = a.push(nmea('GNGST,000001.00,1.2,3.0,2.0,45.0,3.0,4.0,5.0'));
  assert.equal(out.length, 1, 'emitted on the GST, without waiting for the next second');
  assert.equal(out[0].kind === 'fix' && out[0].fix.accuracyM, 5);
  assert.equal(out[0].kind === 'fix' && out[0].fix.lon < 0, true, 'W is negative');
});

test('a GSA HDOP is preferred to the GGA one, and a DGPS fix uses the DGPS range error', () => {
  const [fix] = fixes(feed([
    nmea('GPRMC,101010,A,3133.620,N,10613.420,W,0.0,,010124,,,D'),
    nmea('GPGGA,101010,3133.620,N,10613.420,W,2,09,1.0,1100.0,M,-20.0,M,3.0,0120'),
    nmea('GPGSA,A,3,01,02,03,04,05,06,07,08,09,,,,1.90,1.23,1.50'),
  ]));
  assert.equal(fix.accuracyM, 1.23 * DGPS_UERE_M);
  assert.equal(fix.courseDeg, undefined, 'an empty course field is unknown, not 0');
});

test('an empty HDOP leaves accuracy unknown instead of zero', () => {
  const [fix] = fixes(feed([nmea('GPGGA,101010,3133.620,N,10613.420,W,1,04,,1100.0,M,,M,,'), nmea('GPRMC,101010,A,3133.620,N,10613.420,W,,,010124,,')]));
  assert.equal(fix.accuracyM, undefined);
  assert.equal(fix.speedMps, undefined);
});

test('fractional seconds are kept to the millisecond', () => {
  const [fix] = fixes(feed([nmea('GPRMC,235959.125,A,3133.620,N,10613.420,W,1.0,90.0,311223,,,A')]));
  assert.equal(fix.time, Date.UTC(2023, 11, 31, 23, 59, 59, 125));
});

test('a new time of day closes the previous epoch, one fix per second', () => {
  const lines = [];
  for (let s = 0; s < 3; s++) {
    lines.push(nmea(`GPRMC,12000${s},A,3133.620,N,10613.42${s},W,1.0,90.0,010124,,,A`));
    lines.push(nmea(`GPGGA,12000${s},3133.620,N,10613.42${s},W,1,08,1.0,1100.0,M,,M,,`));
  }
  const got = fixes(feed(lines));
  assert.deepEqual(got.map((f) => f.time - Date.UTC(2024, 0, 1, 12)), [0, 1000, 2000]);
});

test('a GGA without any RMC before it is rejected for want of a date', () => {
  const events = feed([nmea('GPGGA,120000,3133.620,N,10613.420,W,1,08,1.0,1100.0,M,,M,,')]);
  assert.equal(fixes(events).length, 0);
  assert.match(rejections(events)[0].reason, /no date/);
  assert.equal(rejections(events)[0].line, 1);
});

test('a GGA-only epoch after midnight takes the day after the last RMC date', () => {
  const got = fixes(feed([
    nmea('GPRMC,235959,A,3133.620,N,10613.420,W,1.0,90.0,311223,,,A'),
    nmea('GPGGA,000000,3133.620,N,10613.420,W,1,08,1.0,1100.0,M,,M,,'),
    nmea('GPGGA,000001,3133.620,N,10613.420,W,1,08,1.0,1100.0,M,,M,,'),
  ]));
  assert.deepEqual(got.map((f) => new Date(f.time).toISOString()), [
    '2023-12-31T23:59:59.000Z', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.000Z',
  ]);
});

test('RMC status V and GGA quality 0 are rejected with the reason', () => {
  const events = feed([
    nmea('GPRMC,120000,V,,,,,,,010124,,,N'),
    nmea('GPGGA,120001,,,,,0,00,99.9,,,,,,'),
  ]);
  assert.equal(fixes(events).length, 0);
  const reasons = rejections(events).map((r) => r.reason);
  assert.match(reasons[0], /12:00:00\.000 UTC: RMC status V/);
  assert.match(reasons[1], /GGA fix quality 0/);
});

test('a simulated or dead-reckoned position is not accepted as a fix', () => {
  const events = feed([
    nmea('GPRMC,120000,A,3133.620,N,10613.420,W,1.0,90.0,010124,,,S'),
    nmea('GPGGA,120001,3133.620,N,10613.420,W,6,00,1.0,1100.0,M,,M,,'),
  ]);
  assert.equal(fixes(events).length, 0);
  assert.match(rejections(events)[0].reason, /simulator/);
  assert.match(rejections(events)[1].reason, /dead reckoning/);
});

test('a bad checksum is rejected naming the line, and the sentences after it still count', () => {
  const bad = RMC.replace('*6A', '*6B');
  const events = feed(['$GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00*74', bad, RMC, GGA]);
  const [r] = rejections(events);
  assert.equal(r.line, 2);
  assert.match(r.reason, /checksum \*6B does not match the sentence \(computed \*6A\)/);
  assert.equal(fixes(events).length, 1);
});

test('GNSS talkers are read; a navigation system relaying its receiver is read with a note; another talker is refused', () => {
  for (const talker of ['GP', 'GN', 'GL', 'GA', 'GB', 'BD', 'GQ', 'QZ', 'GI']) {
    const got = fixes(feed([nmea(`${talker}RMC,120000,A,3133.620,N,10613.420,W,1.0,90.0,010124,,,A`)]));
    assert.equal(got.length, 1, talker);
    assert.equal(got[0].notes, undefined, talker);
  }
  for (const [talker, what] of [['IN', 'integrated navigation'], ['II', 'integrated instrumentation'], ['EC', 'electronic chart system']]) {
    const [fix] = fixes(feed([nmea(`${talker}RMC,120000,A,3133.620,N,10613.420,W,1.0,90.0,010124,,,A`)]));
    assert.deepEqual(fix.notes, [`talker ${talker} (${what}) is a navigation system passing on its receiver's position, not the receiver itself`]);
  }
  const events = feed([nmea('SDRMC,120000,A,3133.620,N,10613.420,W,1.0,90.0,010124,,,A'), nmea('IMGSA,A,3,,,,,,,,,,,,,1.7,1.0,1.4')]);
  assert.equal(rejections(events).length, 1, 'a GSA of another talker carries no position: skipped');
  assert.match(rejections(events)[0].reason, /talker "SD" is not a GNSS receiver/);
});

test('a receiver that sends GGA and ZDA but no RMC is dated by its ZDA, also across midnight; a ZDA before the first fix is skipped, a bad one refused', () => {
  const events = feed([
    nmea('GPZDA,,,,,,'),
    nmea('GPGGA,235958,3133.620,N,10613.420,W,1,05,1.2,10,M,,M,,'),
    nmea('GPZDA,235959.00,29,02,2024,00,00'),
    nmea('GPGGA,235959,3133.620,N,10613.420,W,1,05,1.2,10,M,,M,,'),
    nmea('GPGGA,000000,3133.620,N,10613.420,W,1,05,1.2,10,M,,M,,'),
    nmea('GPZDA,000001.00,30,02,2024,00,00'),
  ], 'file');
  assert.deepEqual(fixes(events).map((f) => new Date(f.time).toISOString()), ['2024-02-29T23:59:59.000Z', '2024-03-01T00:00:00.000Z']);
  assert.deepEqual(rejections(events).map((r) => r.reason), [
    'epoch 23:59:58.000 UTC: no date (GGA carries only the time of day and no RMC or ZDA has been seen yet)',
    'ZDA: date "30,02,2024" is not a valid day, month and year',
  ]);
});

test('an epoch the receiver says has no fix is marked so: no error in the input, unlike a broken one', () => {
  const events = feed([
    '$GPGGA,,,,,,0,,,,M,,M,,*66',
    nmea('GPRMC,120000,V,3133.620,N,10613.420,W,,,010124,,,N'),
    nmea('GPGGA,120001,3133.620,N,10613.420,W,0,00,,,M,,M,,'),
    nmea('GPRMC,120002,A,3133.620,N,10613.420,W,1.0,90.0,010124,,,E'),
    nmea('GPGGA,,3133.620,N,10613.420,W,1,05,1.2,10,M,,M,,'),
  ]);
  assert.deepEqual(rejections(events).map((r) => [r.line, r.noFix ?? false]), [[1, true], [2, true], [3, true], [5, false], [4, false]]);
});

test('CRLF and LF line endings are both accepted', () => {
  assert.equal(fixes(feed([`${RMC}\r\n`, `${GGA}\r`])).length, 1);
});

test('a sentence without a checksum (optional before NMEA 0183 3.0) is read, and its fix says it could not be checked; a bare "*" is garbage', () => {
  const unchecked = (body: string) => `$${body}`;
  const events = feed([unchecked('GPRMC,120000,A,3133.620,N,10613.420,W,1.0,90.0,010124,,,A'), unchecked('GPGGA,120000,3133.620,N,10613.420,W,1,05,1.2,10,M,,M,,'), '$GPGGA,120001,3133.620,N,10613.420,W,1,05,1.2,10,M,,M,,*']);
  const [fix] = fixes(events);
  assert.deepEqual(fix.notes, ['RMC and GGA came without a checksum: they could not be checked for damage on the way']);
  assert.equal(fix.accuracyM, 1.2 * HDOP_UERE_M);
  assert.deepEqual(rejections(events).map((r) => [r.line, /not an NMEA sentence/.test(r.reason)]), [[3, true]]);
  assert.equal(fixes(feed([RMC, GGA]))[0].notes, undefined, 'with their checksums, no note');
});

test('garbage lines are reported, not fatal', () => {
  const events = feed(['\u0000\u00ff\u0013binary', 'hello world', RMC, '$GPRMC,no checksum', GGA]);
  assert.equal(fixes(events).length, 1);
  assert.deepEqual(rejections(events).map((r) => r.line), [1, 2, 4]);
  assert.match(rejections(events)[0].reason, /not an NMEA sentence/);
});

test('a sentence a little over 82 characters is tolerated, one over 256 is refused', () => {
  const longish = nmea(`GPRMC,120000,A,3133.62000000000,N,10613.42000000000,W,1.0,90.0,010124,,,A${','.repeat(20)}`);
  assert.ok(longish.length > 82 && longish.length < 256);
  assert.equal(fixes(feed([longish])).length, 1);
  const huge = nmea(`GPTXT,01,01,02,${'x'.repeat(300)}`);
  const events = feed([huge, RMC]);
  assert.match(rejections(events)[0].reason, /is 3\d\d characters long; an NMEA sentence has at most 82/);
  assert.equal(fixes(events).length, 1);
});

test('out-of-range coordinates and malformed fields are rejected, not turned into numbers', () => {
  const events = feed([
    nmea('GPRMC,120000,A,3175.000,N,10613.420,W,1.0,90.0,010124,,,A'),
    nmea('GPRMC,120001,A,3133.620,X,10613.420,W,1.0,90.0,010124,,,A'),
    nmea('GPRMC,120002,A,3133.620,N,10613.420,W,1.0,90.0,320124,,,A'),
    nmea('GPRMC,250000,A,3133.620,N,10613.420,W,1.0,90.0,010124,,,A'),
  ]);
  assert.equal(fixes(events).length, 0);
  const reasons = rejections(events).map((r) => r.reason);
  assert.match(reasons[0], /latitude "3175.000" is out of range/);
  assert.match(reasons[1], /hemisphere "X"/);
  assert.match(reasons[2], /date "320124" is not a valid ddmmyy/);
  assert.match(reasons[3], /time "250000" is out of range/);
});

test('parseNmeaLine ignores sentences lindero does not use and throws a LinderoError with the place', () => {
  assert.equal(parseNmeaLine(nmea('GPVTG,054.7,T,034.4,M,005.5,N,010.2,K')), null);
  assert.equal(parseNmeaLine(nmea('PGRME,15.0,M,45.0,M,25.0,M')), null);
  assert.throws(() => parseNmeaLine(RMC.replace('*6A', '*00'), { file: 'log.nmea', line: 9 }), (e: unknown) => {
    assert.ok(e instanceof LinderoError);
    assert.equal(e.code, 'nmea-checksum');
    assert.match(e.describe(), /^log\.nmea, line 9: checksum/);
    return true;
  });
});

test('the shared range rules: negative speed, absurd altitude and HDOP, and course 400 cost only themselves, with notes', () => {
  // Knots -90 (−46 m/s), course 400, HDOP 1e300 and altitude 1e308: each left off, the position kept.
  const rmc = nmea('GPRMC,123519,A,4807.038,N,01131.000,E,-90,400,230394,003.1,W');
  const gga = nmea('GPGGA,123519,4807.038,N,01131.000,E,1,08,1e300,1e308,M,46.9,M,,');
  const [fix] = fixes(feed([rmc, gga]));
  assert.ok(Math.abs(fix.lat - (48 + 7.038 / 60)) < 1e-12);
  assert.deepEqual([fix.speedMps, fix.courseDeg, fix.accuracyM, fix.altM], [undefined, undefined, undefined, undefined]);
  assert.deepEqual(fix.notes?.map((n) => n.split(' ')[0]).sort(), ['GGA.altitude', 'RMC.course', 'RMC.speed', 'accuracy']);
});

test('a live feed applies the live time rule (1994 is too old); a log file is read at any age', () => {
  const live = new NmeaAssembler({ unit: 'truck-7', source: 'nmea', time: { now: Date.UTC(2026, 11, 6) } });
  const events = [...live.push(RMC, 1), ...live.push(GGA, 2), ...live.flush()];
  assert.equal(fixes(events).length, 0);
  assert.match(rejections(events)[0].reason, /old/);
  assert.equal(fixes(feed([RMC, GGA], 'file')).length, 1);
});

test('live, a receiver dating its fixes one or two GPS week eras (1024 weeks) early is read that much later, midnight and GGA-only epochs included, each fix with a note', () => {
  const eraMs = 1024 * 7 * 86_400_000;
  for (const eras of [1, 2]) {
    const early = new Date(Date.UTC(2026, 11, 6) - eras * eraMs);
    const ddmmyy = [early.getUTCDate(), early.getUTCMonth() + 1, early.getUTCFullYear() % 100].map((n) => String(n).padStart(2, '0')).join('');
    const live = new NmeaAssembler({ unit: 'truck-7', source: 'nmea', time: { now: Date.UTC(2026, 11, 7, 0, 0, 5) } });
    const lines = [
      nmea(`GPRMC,235958,A,3146.950,N,10636.024,W,0.5,170.0,${ddmmyy},,,A`),
      nmea('GPGGA,235958,3146.950,N,10636.024,W,1,08,0.9,1204.0,M,-22.6,M,,'),
      nmea('GPGGA,000001,3146.947,N,10636.024,W,1,08,0.9,1204.0,M,-22.6,M,,'),
    ];
    const events = [...lines.flatMap((l, i) => live.push(l, i + 1)), ...live.flush()];
    assert.deepEqual(rejections(events), []);
    const got = fixes(events);
    assert.deepEqual(got.map((f) => new Date(f.time).toISOString()), ['2026-12-06T23:59:58.000Z', '2026-12-07T00:00:01.000Z'], `${eras} eras (${ddmmyy})`);
    for (const f of got) assert.match(f.notes?.join() ?? '', new RegExp(`^RMC\\.date was ${1024 * eras} weeks behind`));
  }
  // Not a whole number of eras: the live time rule refuses it as before.
  const live = new NmeaAssembler({ unit: 'truck-7', source: 'nmea', time: { now: Date.UTC(2026, 11, 7) } });
  const events = [...live.push(nmea('GPRMC,120000,A,3146.950,N,10636.024,W,0.5,170.0,010316,,,A'), 1), ...live.flush()];
  assert.equal(fixes(events).length, 0);
  assert.match(rejections(events)[0].reason, /old/);
});
