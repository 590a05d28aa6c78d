// The device's own position through the W3C Geolocation API, as precise as the hardware allows.
import { deviceFixFrom, type DeviceFix } from './device-fix.js';

export type GpsProblem =
  | { kind: 'unsupported' }
  | { kind: 'denied' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'timeout' };

/** Calls onFix for every new position until the returned function is called. */
export function watchDevicePosition(onFix: (fix: DeviceFix) => void, onProblem: (problem: GpsProblem) => void): () => void {
  if (!('geolocation' in navigator)) {
    onProblem({ kind: 'unsupported' });
    return () => {};
  }
  const id = navigator.geolocation.watchPosition(
    (position) => onFix(deviceFixFrom(position)),
    (error) => {
      // The watch keeps running after a timeout or a temporary failure (W3C Geolocation §6.3); only a denial ends it.
      if (error.code === error.PERMISSION_DENIED) onProblem({ kind: 'denied' });
      else if (error.code === error.TIMEOUT) onProblem({ kind: 'timeout' });
      else onProblem({ kind: 'unavailable', message: error.message });
    },
    // maximumAge 0: never a cached position, since the answer can change within metres.
    { enableHighAccuracy: true, maximumAge: 0, timeout: 30_000 },
  );
  return () => navigator.geolocation.clearWatch(id);
}
