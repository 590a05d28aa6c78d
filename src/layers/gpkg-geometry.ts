// GeoPackage geometry blobs (OGC 12-128r18 §2.1.3): a "GP" header with flags, srs_id and an optional
// envelope, followed by ISO WKB, which wkx decodes.
import type { Geometry } from 'geojson';
import wkx from 'wkx';

/** Byte length of the envelope for each value of the header's envelope-contents indicator (flags bits 1-3). */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

export type GpkgGeometry =
  | { ok: true; geometry: Geometry | null; srsId: number }
  | { ok: false; reason: string; /** A valid geometry of a type lindero does not read, not damage. */ unsupported?: true };

/** ISO WKB's curved and 3D-surface types (ISO 13249-3), by their type number without the Z/M thousands. */
const UNREAD_WKB_TYPES: Record<number, string> = {
  8: 'CircularString', 9: 'CompoundCurve', 10: 'CurvePolygon', 11: 'MultiCurve', 12: 'MultiSurface', 13: 'Curve', 14: 'Surface',
  15: 'PolyhedralSurface', 16: 'TIN', 17: 'Triangle',
};

/** Why a geometry of a valid WKB type lindero does not read is refused, or null (a type it reads, or damage wkx reports). */
function unreadWkbType(view: DataView, at: number): string | null {
  if (view.byteLength < at + 5) return null;
  const type = view.getUint32(at + 1, view.getUint8(at) === 1);
  const name = UNREAD_WKB_TYPES[type % 1000];
  return name ? `it is a ${name} (WKB type ${type}), a curved or surface geometry lindero does not read; convert it to lines and polygons first (e.g. ogr2ogr -nlt CONVERT_TO_LINEAR)` : null;
}

/** Decodes one geometry blob; an empty geometry (flags bit 4) becomes null. Never throws. */
export function decodeGpkgGeometry(blob: Uint8Array): GpkgGeometry {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) return { ok: false, reason: 'it does not start with the GeoPackage "GP" header' };
  if (blob[2] !== 0) return { ok: false, reason: `its header version is ${blob[2]}; only version 0 (GeoPackage 1.x) exists` };
  const flags = blob[3];
  if (flags & 0x20) return { ok: false, reason: 'it is an extended (non-standard) geometry type' };
  const envelopeIndicator = (flags >> 1) & 0x07;
  const envelopeBytes = ENVELOPE_BYTES[envelopeIndicator];
  if (envelopeBytes === undefined) return { ok: false, reason: `its envelope indicator ${envelopeIndicator} is invalid` };
  const littleEndian = (flags & 0x01) === 1;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const srsId = view.getInt32(4, littleEndian);
  if (flags & 0x10) return { ok: true, geometry: null, srsId };
  const wkbStart = 8 + envelopeBytes;
  if (blob.length <= wkbStart) return { ok: false, reason: `it ends after ${blob.length} bytes, before its WKB geometry` };
  const unread = unreadWkbType(view, wkbStart);
  if (unread) return { ok: false, reason: unread, unsupported: true };
  try {
    const wkb = Buffer.from(blob.buffer, blob.byteOffset + wkbStart, blob.length - wkbStart);
    const geometry = wkx.Geometry.parse(wkb).toGeoJSON() as Geometry;
    return { ok: true, geometry, srsId };
  } catch (e) {
    return { ok: false, reason: `its WKB is damaged (${(e as Error).message})` };
  }
}
