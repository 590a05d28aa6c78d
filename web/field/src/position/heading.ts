// Which way the top of the phone points, from the compass (DeviceOrientationEvent), so the arrow can point
// at the line itself; without a compass the arrow is drawn north-up.

/** Degrees clockwise from true north, or null when the device gives no absolute heading. */
export type HeadingDeg = number | null;

interface IosOrientationEvent extends DeviceOrientationEvent {
  webkitCompassHeading?: number;
}

interface OrientationPermission {
  requestPermission?: () => Promise<'granted' | 'denied'>;
}

/** A heading older than this is not trusted (the compass stopped reporting). */
const STALE_MS = 3_000;

export class HeadingSource {
  private headingDeg: HeadingDeg = null;
  private lastMs = 0;
  private started = false;

  constructor(private readonly onChange: () => void) {}

  /** The current heading, or null without a recent absolute reading. */
  get current(): HeadingDeg {
    return this.headingDeg !== null && performance.now() - this.lastMs < STALE_MS ? this.headingDeg : null;
  }

  /** Starts listening. iOS asks permission, which it grants only from a tap: call this from one. */
  async start(): Promise<void> {
    if (this.started || typeof DeviceOrientationEvent === 'undefined') return;
    const permission = DeviceOrientationEvent as unknown as OrientationPermission;
    if (typeof permission.requestPermission === 'function') {
      if ((await permission.requestPermission().catch(() => 'denied')) !== 'granted') return;
    }
    this.started = true;
    // Chromium: 'deviceorientationabsolute' is relative to north; plain 'deviceorientation' may be relative to the start pose.
    window.addEventListener('deviceorientationabsolute', (e) => this.read(e as DeviceOrientationEvent));
    window.addEventListener('deviceorientation', (e) => this.read(e));
  }

  private read(e: DeviceOrientationEvent): void {
    const ios = (e as IosOrientationEvent).webkitCompassHeading;
    let heading: number | null = null;
    if (typeof ios === 'number' && Number.isFinite(ios)) heading = ios;
    // alpha grows counter-clockwise (W3C DeviceOrientation §4.1), so the compass heading is 360 − alpha.
    else if (e.absolute && e.alpha !== null) heading = 360 - e.alpha;
    if (heading === null) return;
    // The screen may be turned: the heading of the top of the screen, not of the device's natural top.
    const screenAngle = screen.orientation?.angle ?? 0;
    this.headingDeg = (((heading + screenAngle) % 360) + 360) % 360;
    this.lastMs = performance.now();
    this.onChange();
  }
}
