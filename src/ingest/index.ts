// Wire formats and recorded-track files in; Fix (or a precise error) out. Nothing downstream sees a wire format.
export type { Fix, FixSource } from '../model/index.js';
export { parseCot, positionlessEmergencyOf, isAtom, isNotPosition, DEFAULT_MAX_COT_BYTES, COT_UNKNOWN, type CotFix, type CotOptions } from './cot.js';
export { parseTakDatagram, parseTakMesh, parseTakPayload, decodeTakMessage, takEventXml, TakMessageType, TAK_MAGIC, TAK_PROTOCOL_VERSION, type TakMessageObject } from './tak-proto.js';
export { isLinderoMarker, unitRole, LINDERO_UID_PREFIX, HOW_PLACED_BY_HAND, type CotRole } from './cot-role.js';
export { CotStreamSplitter, type CotStreamItem, type CotStreamOptions } from './cot-stream.js';
export { alertToCot, alertToTakFrame, DEFAULT_ALERT_STALE_MS, type AlertMarkerInput } from './cot-out.js';
export { parseOsmand, parseOsmandTime, parseTraccarJson, type OsmandParams, type OsmandOptions } from './osmand.js';
export { parseInreachOutbound, describeMessageCode, INREACH_SOS_CODES, MAX_INREACH_EVENTS, type InreachResult, type InreachSkipped } from './inreach.js';
export { parseOwnTracks, MAX_OWNTRACKS_MESSAGES, type OwnTracksResult, type OwnTracksSender } from './owntracks.js';
export { parseJsonFixes, parseJsonFix, MAX_JSON_BATCH, type JsonFixesResult, type JsonFixesOptions, type RejectedFix } from './json.js';
export { type TimeWindow } from './limits.js';
export { DEFAULT_MAX_FUTURE_MS, DEFAULT_MAX_AGE_MS, MAX_UNIT_CHARS } from '../model/index.js';
export { NmeaAssembler, parseNmeaLine, accuracyFromHdop, NMEA_MAX_LINE_CHARS, type NmeaAssemblerOptions, type NmeaEvent, type NmeaSentence } from './nmea.js';
export { readTrack, readTrackFromBytes, readTrackFromString, detectFormat, LineSplitter, type LineItem, DEFAULT_LIMITS, type ReadTrackOptions, type TrackItem, type TrackFormat } from './files/index.js';
