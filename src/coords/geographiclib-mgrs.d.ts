// Types for the parts of geographiclib-mgrs (a port of GeographicLib's MGRS and UTMUPS
// classes) that this module uses; the package ships no declarations for its own name.
declare module 'geographiclib-mgrs' {
  interface MgrsReverse { zone: number; northp: boolean; x: number; y: number; prec: number }
  interface UtmupsForward { zone: number; northp: boolean; x: number; y: number; gamma: number; k: number }
  interface UtmupsReverse { lat: number; lon: number; gamma: number; k: number }
  const GeographicLibMGRS: {
    /** [lon, lat] to an MGRS string with `accuracy` digits per coordinate (0–5; the square is truncated, not rounded). */
    forward(lonLat: [number, number], accuracy?: number): string;
    MGRS: {
      /** Zone 0 is UPS; x, y in metres; with centerp, the centre of the square. */
      reverse(mgrs: string, centerp: boolean): MgrsReverse;
      /** Latitude band index: -10 (C) to 9 (X). */
      latitudeBand(lat: number): number;
    };
    UTMUPS: {
      forward(lat: number, lon: number, setzone?: number | false, mgrslimits?: boolean): UtmupsForward;
      reverse(zone: number, northp: boolean, x: number, y: number, mgrslimits?: boolean): UtmupsReverse | undefined;
    };
  };
  export default GeographicLibMGRS;
}
