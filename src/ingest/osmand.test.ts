import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinderoError } from '../model/index.js';
import { HDOP_UERE_M } from './nmea.js';
import { parseOsmand, parseOsmandTime, parseTraccarJson, type OsmandParams } from './osmand.js';

const now = Date.parse('2024-05-14T17:36:00Z');
const options = { time: { now } };

/** Fields as an HTTP server hands them over: a repeated field becomes an array. */
function query(text: string): OsmandParams {
  const params: OsmandParams = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const previous = params[key];
    params[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return params;
}

function fails(run: () => unknown, code: string, field?: string): LinderoError {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof LinderoError, `expected LinderoError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (field !== undefined) assert.equal(caught.place.field, field, caught.message);
  return caught;
}

test('a Traccar Client 7 request (epoch ms, speed in knots) gives a fix in m/s', () => {
  const fix = parseOsmand(
    query('id=82879256&lat=31.7537426&lon=-106.4869513&timestamp=1715707928412&speed=2.5&bearing=252.7&altitude=1122.4&accuracy=22.975999&batt=81'),
    options,
  );
  assert.deepEqual(fix, {
    unit: '82879256',
    time: 1715707928412,
    lat: 31.7537426,
    lon: -106.4869513,
    speedMps: (2.5 * 1852) / 3600,
    courseDeg: 252.7,
    altM: 1122.4,
    accuracyM: 22.975999,
    source: 'osmand',
  });
});

test('epoch seconds, epoch ms and ISO 8601 timestamps give the same instant', () => {
  const at = Date.parse('2024-05-14T17:32:08Z');
  for (const timestamp of ['1715707928', '1715707928000', '2024-05-14T17:32:08Z', '2024-05-14T11:32:08-06:00', '1715707928.0']) {
    assert.equal(parseOsmand(query(`id=a&lat=31.75&lon=-106.48&timestamp=${encodeURIComponent(timestamp)}`), options).time, at, timestamp);
  }
  // The boundary Traccar uses: below 2^31-1 is seconds.
  assert.equal(parseOsmandTime('2147483646'), 2147483646000);
  assert.equal(parseOsmandTime('2147483648'), 2147483648);
});

test('a Traccar-style timestamp without a zone ("2024-05-14 17:32:08") is read as UTC, as Traccar on a UTC server reads it', () => {
  assert.equal(parseOsmand(query('id=a&lat=31.75&lon=-106.48&timestamp=2024-05-14%2017:32:08'), options).time, Date.UTC(2024, 4, 14, 17, 32, 8));
  assert.equal(parseOsmand(query('id=a&lat=31.75&lon=-106.48&timestamp=2024-05-14T17:32'), options).time, Date.UTC(2024, 4, 14, 17, 32));
  fails(() => parseOsmand(query('id=a&lat=31.75&lon=-106.48&timestamp=2024-05-14%2025:32:08'), options), 'invalid-field', 'timestamp');
  fails(() => parseOsmand(query('id=a&lat=31.75&lon=-106.48&timestamp=tomorrow'), options), 'invalid-field', 'timestamp');
});

test('a fix without a timestamp is timed when it is received, as Traccar does', () => {
  assert.equal(parseOsmand(query('id=a&lat=31.75&lon=-106.48'), options).time, now);
});

test('a timestamp an hour ahead or two years back is implausible', () => {
  fails(() => parseOsmand(query(`id=a&lat=31.75&lon=-106.48&timestamp=${Math.round(now / 1000) + 3600}`), options), 'implausible-time', 'timestamp');
  fails(() => parseOsmand(query(`id=a&lat=31.75&lon=-106.48&timestamp=${now - 2 * 366 * 86_400_000}`), options), 'implausible-time', 'timestamp');
  fails(() => parseOsmand(query('id=a&lat=31.75&lon=-106.48&timestamp=99999999999999999'), options), 'implausible-time', 'timestamp');
});

test('hdop is OsmAnd\'s {3}, the accuracy in metres (4.0 is 4 m, 120.0 is 120 m); accuracy wins when both are sent; 0 is unknown', () => {
  assert.equal(parseOsmand(query('id=a&lat=31.75&lon=-106.48&hdop=4.0'), options).accuracyM, 4);
  assert.equal(parseOsmand(query('id=a&lat=31.75&lon=-106.48&hdop=120.0'), options).accuracyM, 120);
  assert.equal(parseOsmand(query('id=a&lat=31.75&lon=-106.48&hdop=1.4&accuracy=3'), options).accuracyM, 3);
  assert.equal(parseOsmand(query('id=a&lat=31.75&lon=-106.48'), options).accuracyM, undefined);
  const zero = parseOsmand(query('id=a&lat=31.75&lon=-106.48&hdop=0'), options);
  assert.equal(zero.accuracyM, undefined);
  assert.match(zero.notes![0], /^hdop is 0/);
  // Traccar Client (Android) sends accuracy=0.0 for every GPS fix: not reported, never perfect.
  assert.equal(parseOsmand(query('id=a&lat=31.75&lon=-106.48&accuracy=0.0'), options).accuracyM, undefined);
});

test('deviceid and location=lat,lon are accepted as Traccar accepts them', () => {
  const fix = parseOsmand(query('deviceid=truck-7&location=31.75,-106.48&heading=90'), options);
  assert.equal(fix.unit, 'truck-7');
  assert.equal(fix.lat, 31.75);
  assert.equal(fix.lon, -106.48);
  assert.equal(fix.courseDeg, 90);
  fails(() => parseOsmand(query('id=a&location=31.75'), options), 'invalid-field', 'location');
  fails(() => parseOsmand(query('id=a&lat=31.7&lon=-106.48&location=31.75,-106.48'), options), 'invalid-field', 'location');
});

test('a missing or unusable lat or lon is named and never replaced by 0,0', () => {
  fails(() => parseOsmand(query('id=a&lon=-106.48'), options), 'missing-field', 'lat');
  fails(() => parseOsmand(query('id=a&lat=31.75'), options), 'missing-field', 'lon');
  fails(() => parseOsmand(query('id=a&lat=&lon=-106.48'), options), 'missing-field', 'lat');
  fails(() => parseOsmand(query('id=a&lat=NaN&lon=-106.48'), options), 'invalid-field', 'lat');
  fails(() => parseOsmand(query('id=a&lat=31.75&lon=Infinity'), options), 'invalid-field', 'lon');
  fails(() => parseOsmand(query('id=a&lat=95&lon=-106.48'), options), 'invalid-field', 'lat');
  fails(() => parseOsmand(query('id=a&lat=31.75&lon=1e999'), options), 'invalid-field', 'lon');
  fails(() => parseOsmand(query('id=a&lat=0&lon=0'), options), 'no-position', 'lat');
});

test('a missing, blank or hostile id is refused', () => {
  fails(() => parseOsmand(query('lat=31.75&lon=-106.48'), options), 'missing-field', 'id');
  fails(() => parseOsmand(query('id=%20%20&lat=31.75&lon=-106.48'), options), 'invalid-field', 'id');
  fails(() => parseOsmand(query('id=a%0Ab&lat=31.75&lon=-106.48'), options), 'invalid-field', 'id');
  fails(() => parseOsmand(query(`id=${'x'.repeat(10_000)}&lat=31.75&lon=-106.48`), options), 'invalid-field', 'id');
  fails(() => parseOsmand(query('id=a&deviceid=b&lat=31.75&lon=-106.48'), options), 'invalid-field', 'id');
});

test('a field repeated with different values is refused; repeated identically it is fine', () => {
  fails(() => parseOsmand(query('id=a&lat=31.75&lat=32.75&lon=-106.48'), options), 'invalid-field', 'lat');
  assert.equal(parseOsmand(query('id=a&lat=31.75&lat=31.75&lon=-106.48'), options).lat, 31.75);
});

test('valid=false marks a fix the device itself does not trust', () => {
  fails(() => parseOsmand(query('id=a&lat=31.75&lon=-106.48&valid=false'), options), 'invalid-fix', 'valid');
  fails(() => parseOsmand(query('id=a&lat=31.75&lon=-106.48&valid=maybe'), options), 'invalid-field', 'valid');
  assert.equal(parseOsmand(query('id=a&lat=31.75&lon=-106.48&valid=1'), options).unit, 'a');
});

test('speed and bearing -1 mean unknown; negative accuracy, huge speed, bearing 361 and altitude 0x10 are left off with a note', () => {
  const fix = parseOsmand(query('id=a&lat=31.75&lon=-106.48&speed=-1&bearing=-1'), options);
  assert.equal(fix.speedMps, undefined);
  assert.equal(fix.courseDeg, undefined);
  assert.equal(fix.notes, undefined);
  const odd = parseOsmand(query('id=a&lat=31.75&lon=-106.48&accuracy=-5&speed=1e9&bearing=361&altitude=0x10'), options);
  assert.equal(odd.lat, 31.75);
  assert.deepEqual([odd.accuracyM, odd.speedMps, odd.courseDeg, odd.altM], [undefined, undefined, undefined, undefined]);
  assert.deepEqual(odd.notes?.map((n) => n.split(' ')[0]).sort(), ['accuracy', 'altitude', 'bearing', 'speed']);
});

/** What Traccar Client 9 posts (its SDK location template), here from a phone in Ciudad Juárez. */
const traccarClient9 = {
  location: {
    timestamp: '2024-05-14T17:32:08.587Z',
    coords: { latitude: 31.7399123, longitude: -106.4870011, accuracy: 4.32, speed: 0.11, heading: 158.44, altitude: 1121 },
    is_moving: true,
    odometer: 0,
    event: 'motionchange',
    battery: { level: 0.88, is_charging: false },
    activity: { type: 'still' },
    extras: {},
    _: '&id=82879256&lat=31.7399123&lon=-106.4870011&timestamp=2024-05-14T17:32:08.587Z&',
  },
  device_id: '82879256',
};

test('the JSON Traccar Client 9 posts gives a fix with speed in m/s', () => {
  assert.deepEqual(parseTraccarJson(traccarClient9, options), [
    {
      unit: '82879256',
      time: Date.parse('2024-05-14T17:32:08.587Z'),
      lat: 31.7399123,
      lon: -106.4870011,
      accuracyM: 4.32,
      speedMps: 0.11,
      courseDeg: 158.44,
      altM: 1121,
      source: 'osmand',
    },
  ]);
});

test('a batch (location as an array) gives one fix per entry, in order', () => {
  const second = { ...traccarClient9.location, timestamp: '2024-05-14T17:33:08.587Z', coords: { ...traccarClient9.location.coords, latitude: 31.741 } };
  const fixes = parseTraccarJson({ device_id: 82879256, location: [traccarClient9.location, second] }, options);
  assert.deepEqual(fixes.map((f) => [f.unit, f.lat]), [['82879256', 31.7399123], ['82879256', 31.741]]);
});

test('a bad entry in a batch is named by its path', () => {
  const bad = { ...traccarClient9.location, coords: { ...traccarClient9.location.coords, latitude: '31.74' } };
  fails(() => parseTraccarJson({ device_id: 'a', location: [traccarClient9.location, bad] }, options), 'invalid-field', 'location[1].coords.latitude');
});

test('missing or wrong JSON fields are named with their path', () => {
  const coords = traccarClient9.location.coords;
  const withCoords = (c: object) => ({ device_id: 'a', location: { ...traccarClient9.location, coords: c } });
  fails(() => parseTraccarJson({ location: traccarClient9.location }, options), 'missing-field', 'device_id');
  fails(() => parseTraccarJson({ device_id: 'a' }, options), 'missing-field', 'location');
  fails(() => parseTraccarJson(withCoords({ ...coords, latitude: undefined }), options), 'missing-field', 'location.coords.latitude');
  fails(() => parseTraccarJson(withCoords({ ...coords, longitude: 200 }), options), 'invalid-field', 'location.coords.longitude');
  fails(() => parseTraccarJson(withCoords({ ...coords, latitude: 0, longitude: 0 }), options), 'no-position', 'location.coords.latitude');
  fails(() => parseTraccarJson({ device_id: 'a', location: { coords } }, options), 'missing-field', 'location.timestamp');
  fails(() => parseTraccarJson({ device_id: 'a', location: { ...traccarClient9.location, timestamp: 1715707928 } }, options), 'invalid-field', 'location.timestamp');
  fails(() => parseTraccarJson({ device_id: 'a', location: { timestamp: traccarClient9.location.timestamp } }, options), 'missing-field', 'location.coords');
  fails(() => parseTraccarJson({ device_id: 'a', location: 'here' }, options), 'invalid-field', 'location');
});

test('a negative accuracy (iOS: invalid position) refuses the fix; -1 speed and heading are unknown', () => {
  const coords = traccarClient9.location.coords;
  const body = (c: object) => ({ device_id: 'a', location: { ...traccarClient9.location, coords: { ...coords, ...c } } });
  fails(() => parseTraccarJson(body({ accuracy: -1 }), options), 'invalid-fix', 'location.coords.accuracy');
  const [fix] = parseTraccarJson(body({ speed: -1, heading: -1, altitude_accuracy: -1 }), options);
  assert.equal(fix.speedMps, undefined);
  assert.equal(fix.courseDeg, undefined);
  assert.equal(fix.altM, undefined);
});

test('hostile JSON bodies are refused with a clear code', () => {
  for (const body of [null, 'x', 42, [traccarClient9], undefined]) fails(() => parseTraccarJson(body, options), 'traccar-not-object');
  fails(() => parseTraccarJson({ device_id: { $ne: 1 }, location: traccarClient9.location }, options), 'invalid-field', 'device_id');
  const proto = JSON.parse('{"device_id":"a","location":{"__proto__":{"timestamp":"2024-05-14T17:32:08Z"}}}');
  fails(() => parseTraccarJson(proto, options), 'missing-field', 'location.timestamp');
  const coords = traccarClient9.location.coords;
  const nan = parseTraccarJson({ device_id: 'a', location: { ...traccarClient9.location, coords: { ...coords, accuracy: Number.NaN } } }, options)[0];
  assert.equal(nan.accuracyM, undefined);
  assert.match(nan.notes![0], /^location\.coords\.accuracy is not a number/);
});

test("Traccar Client's SOS (alarm=sos, with a fresh position) declares an emergency; its other alarms do not", () => {
  // Traccar Client (Android) ShortcutActivity: formatRequest(url, position, ALARM_SOS = "sos"); ProtocolFormatter adds &alarm=<it>.
  const base = 'id=coyote-3&timestamp=1715707928&lat=31.7901&lon=-106.5801&accuracy=6.0';
  assert.deepEqual(parseOsmand(query(`${base}&alarm=sos`), options).emergency, { state: 'declared', what: 'SOS' });
  assert.deepEqual(parseOsmand(query(`${base}&alarm=SOS`), options).emergency, { state: 'declared', what: 'SOS' });
  // The alarm its ProtocolFormatterTest sends, and Traccar's vehicle alarms: no emergency.
  assert.equal(parseOsmand(query(`${base}&alarm=alert%20message`), options).emergency, undefined);
  assert.equal(parseOsmand(query(`${base}&alarm=lowBattery`), options).emergency, undefined);
  assert.equal(parseOsmand(query(base), options).emergency, undefined);
});
