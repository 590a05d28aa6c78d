// Whether a lindero server answers this phone. The browser's own "online" flag only says a network is up: a
// phone on a tactical Wi-Fi with no server behind it is "online". So the connection is judged by asking the
// server itself, now and then, and by the answers (or silence) that real report uploads get.

export type ServerConnectionState = 'checking' | 'answering' | 'silent';

/** Between checks while nothing else (an upload) has told us; short enough that the indicator is never long wrong. */
export const CHECK_INTERVAL_MS = 10_000;
/** A server that has not answered in this time is treated as not there (a radio link may be slow, not that slow). */
export const CHECK_TIMEOUT_MS = 5_000;

export class ServerConnection {
  private stateNow: ServerConnectionState = 'checking';
  private timer: ReturnType<typeof setInterval> | undefined;
  private checking: Promise<void> | null = null;

  /**
   * `serverUrl` gives the server to ask (the report server when one is set, else the one the app came from);
   * `onChange` hears every change of state; `onReturn` hears when a server that was silent answers again.
   */
  constructor(
    private readonly serverUrl: () => { url: string; apiKey: string },
    private readonly onChange: (state: ServerConnectionState) => void,
    private readonly onReturn: () => void,
  ) {}

  get state(): ServerConnectionState {
    return this.stateNow;
  }

  start(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.check(), CHECK_INTERVAL_MS);
    void this.check();
  }

  /** What an upload learnt: the server answered (any answer, even a refusal) or it did not. */
  heard(answered: boolean): void {
    this.set(answered ? 'answering' : 'silent');
  }

  /** Asks the server now (one check at a time). */
  check(): Promise<void> {
    this.checking ??= probe(this.serverUrl()).then((answered) => this.heard(answered)).finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private set(next: ServerConnectionState): void {
    const previous = this.stateNow;
    if (next === previous) return;
    this.stateNow = next;
    this.onChange(next);
    if (previous === 'silent' && next === 'answering') this.onReturn();
  }
}

/**
 * True when a lindero server answers at `url`. The request is an empty report (POST /api/v1/fixes with []): the
 * server answers it without storing anything, and its answer — {"accepted": 0, ...}, or lindero's error object
 * when it wants a key — tells a lindero server apart from a captive portal or any other web server.
 */
export async function probe(target: { url: string; apiKey: string }): Promise<boolean> {
  const url = new URL('api/v1/fixes', target.url.endsWith('/') ? target.url : `${target.url}/`);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  try {
    const response = await fetch(url, { method: 'POST', headers, body: '[]', cache: 'no-store', signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    const body = await response.json() as { accepted?: unknown; error?: { code?: unknown } } | null;
    return typeof body?.accepted === 'number' || typeof body?.error?.code === 'string';
  } catch {
    return false;
  }
}
