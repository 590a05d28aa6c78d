// `lindero demo` (what `npm start` runs): the live server on a fresh temporary store with the default
// boundary and an illustrative fence, the Clint scenario replayed into it through the real ingest, one
// line per alert as it happens, and the incident's report when the scenario is over.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lang } from '../answer/index.js';
import { LinderoError } from '../model/index.js';
import { loadScenario, replayScenario, scenarioDurationS, type ReplayResult, type Scenario } from '../incidents/index.js';
import { alertMessage } from '../answer/index.js';
import { startServer, type RunningServer } from '../server/index.js';
import { language, parseArgs } from './args.js';
import type { CommandIo } from './io.js';

export const DEMO_HELP = `Usage: lindero demo [--speed N] [--port 8080] [--host 127.0.0.1] [--no-open] [--lang en|es]

Starts the server on a fresh temporary store and replays a scenario modelled on 13 April 2019 near
Clint, Texas, into it (a U.S. patrol in the strip between an illustrative fence and the Rio Grande, a
Mexican patrol approaching across the dry riverbed), printing each alert as it happens and, at the end,
the incident's inquiry report. Keeps running until Ctrl-C.
  --speed N      scenario seconds per real second (default 10)
  --port N       HTTP API and dashboard (default 8080; 0 picks a free one)
  --no-open      do not open the dashboard in a browser
  --lang en|es   language of the printed lines (default en)
  --scenario F   another scenario file (default data/scenarios/clint.json)`;

export const DEFAULT_SCENARIO = fileURLToPath(new URL('../../data/scenarios/clint.json', import.meta.url));

export interface DemoOptions {
  speed: number;
  port: number;
  host: string;
  open: boolean;
  lang: Lang;
  scenarioFile: string;
}

export interface DemoResult {
  replay: ReplayResult;
  alerts: number;
  incidents: { id: number; reportFile: string; reportUrl: string; bundleFile: string }[];
}

export interface DemoRun {
  server: RunningServer;
  dir: string;
  dashboardUrl: string;
  scenario: Scenario;
  /** Resolves when the scenario is over and the reports are written. */
  finished: Promise<DemoResult>;
  stop(): Promise<void>;
}

const SAY = {
  en: {
    modelled: 'Scenario',
    dashboard: 'Dashboard',
    card: (unit: string) => `Position card of ${unit}`,
    key: 'Evidence signing key',
    store: 'Store and reports in',
    replaying: (n: number, speed: number) => `Replaying ${n} fixes at ${speed}× real time...`,
    incident: (id: number, by: string, units: string) => `Incident ${id} opened by ${by}: ${units}.`,
    byAlert: (kind: string) => `${kind} alert`,
    byOperator: 'an operator',
    report: (id: number) => `Inquiry report of incident ${id}`,
    bundle: 'evidence bundle (check it with lindero verify)',
    done: 'The scenario is over. The server keeps running; press Ctrl-C to stop.',
    rejected: (n: number) => `${n} fixes were refused by the server:`,
  },
  es: {
    modelled: 'Escenario',
    dashboard: 'Tablero',
    card: (unit: string) => `Tarjeta de posición de ${unit}`,
    key: 'Clave de firma de la evidencia',
    store: 'Base de datos e informes en',
    replaying: (n: number, speed: number) => `Reproduciendo ${n} posiciones a ${speed}× el tiempo real...`,
    incident: (id: number, by: string, units: string) => `Incidente ${id} abierto por ${by}: ${units}.`,
    byAlert: (kind: string) => `alerta de ${({ crossing: 'cruce', proximity: 'proximidad' } as Record<string, string>)[kind] ?? kind}`,
    byOperator: 'un operador',
    report: (id: number) => `Informe de investigación del incidente ${id}`,
    bundle: 'paquete de evidencia (compruébelo con lindero verify)',
    done: 'El escenario terminó. El servidor sigue en marcha; pulse Ctrl-C para detenerlo.',
    rejected: (n: number) => `El servidor rechazó ${n} posiciones:`,
  },
};

function demoOptions(argv: string[]): DemoOptions | 'help' {
  const args = parseArgs(argv, { values: ['speed', 'port', 'host', 'lang', 'scenario'], flags: ['help', 'no-open'] });
  if (args.flags.has('help')) return 'help';
  if (args.positionals.length > 0) throw new LinderoError('usage', `unexpected argument ${JSON.stringify(args.positionals[0])}`);
  const speed = Number(args.options.speed ?? 10);
  if (!(speed > 0 && speed <= 100_000) || args.options.speed?.trim() === '') {
    throw new LinderoError('usage', `--speed must be a number of scenario seconds per second from above 0 to 100000, not ${JSON.stringify(args.options.speed)}`, { field: 'speed' });
  }
  const portText = args.options.port ?? '8080';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new LinderoError('usage', `--port must be a port number from 0 to 65535, not ${JSON.stringify(portText)}`, { field: 'port' });
  return {
    speed, port: Number(portText), host: args.options.host ?? '127.0.0.1', open: !args.flags.has('no-open'),
    lang: language(args.options.lang), scenarioFile: args.options.scenario ?? DEFAULT_SCENARIO,
  };
}

/** Opens a URL in the desktop's browser when there is one; quietly does nothing otherwise. */
function openInBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser to open: the URL is printed anyway.
  }
}

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new LinderoError('runtime-demo', `${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}

type IncidentSummary = { id: number; opened_by: string; opened_by_alert?: { kind: string }; units: string[] };

interface DemoServer {
  server: RunningServer;
  /** e.g. http://127.0.0.1:8080 */
  base: string;
  /** What the demo's own requests carry: an API key when the server listens beyond loopback. */
  headers: Record<string, string>;
}

/** A loopback address for reaching a server bound to a wildcard address. */
const reachable = (host: string) => (host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host);
const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

async function startDemoServer(options: DemoOptions, scenario: Scenario, dir: string): Promise<DemoServer> {
  const server = await startServer({
    host: options.host, port: options.port, osmandPort: 0, cotPort: null, cotUdpPort: null, nmeaPort: null,
    db: join(dir, 'demo.db'), fenceFile: scenario.fenceFile ?? undefined,
    // Scenario time runs ahead of the clock by up to its length: let fixes that far ahead in.
    time: { maxFutureMs: scenarioDurationS(scenario) * 1000 + 10 * 60_000 },
  });
  const headers: Record<string, string> = server.authRequired ? { authorization: `Bearer ${(await server.store.createApiKey('demo replay')).key}` } : {};
  return { server, base: `http://${urlHost(reachable(options.host))}:${server.ports.http}`, headers };
}

/** Prints each incident once, as it appears. */
class IncidentAnnouncer {
  readonly ids: number[] = [];

  constructor(private readonly demo: DemoServer, private readonly lang: Lang, private readonly io: CommandIo) {}

  async announce(): Promise<void> {
    const say = SAY[this.lang];
    const { base, headers } = this.demo;
    for (const i of (await getJson<{ incidents: IncidentSummary[] }>(`${base}/api/v1/incidents`, headers)).incidents) {
      if (this.ids.includes(i.id)) continue;
      this.ids.push(i.id);
      const by = i.opened_by === 'rule' ? say.byAlert(i.opened_by_alert?.kind ?? '') : say.byOperator;
      this.io.out(`${say.incident(i.id, by, i.units.join(', '))} ${base}/api/v1/incidents/${i.id}/report\n`);
    }
  }
}

async function printBanner(demo: DemoServer, scenario: Scenario, dir: string, lang: Lang, io: CommandIo): Promise<void> {
  const say = SAY[lang];
  const key = await getJson<{ fingerprint: string }>(`${demo.base}/api/v1/evidence/key`, demo.headers);
  io.out(`${say.modelled}: ${scenario.name}. ${scenario.about[lang]}\n`);
  io.out(`${say.dashboard}: ${demo.base}/\n`);
  for (const u of scenario.units) io.out(`${say.card(u.id)}: ${demo.base}/card?unit=${encodeURIComponent(u.id)}\n`);
  io.out(`${say.key}: ${key.fingerprint}\n${say.store}: ${dir}\n`);
}

/** Starts the server and the replay; the result's `finished` settles when the scenario is over. */
export async function runDemo(options: DemoOptions, io: CommandIo): Promise<DemoRun> {
  const say = SAY[options.lang];
  const scenario = loadScenario(options.scenarioFile);
  const dir = mkdtempSync(join(tmpdir(), 'lindero-demo-'));
  const demo = await startDemoServer(options, scenario, dir);
  const { server, base, headers } = demo;
  await printBanner(demo, scenario, dir, options.lang, io);
  if (options.open) openInBrowser(`${base}/`);
  let alerts = 0;
  const unsubscribe = server.hub.subscribe((event) => {
    if (event.type !== 'alert') return;
    alerts++;
    io.out(`[${new Date(event.alert.time).toISOString().slice(11, 19)}Z] ${alertMessage(event.alert, options.lang)}\n`);
  });
  const incidents = new IncidentAnnouncer(demo, options.lang, io);
  const stopping = new AbortController();
  const poll = setInterval(() => void incidents.announce().catch(() => {}), 500);
  const target = { httpBase: base, osmandBase: `http://${urlHost(reachable(options.host))}:${server.ports.osmand}`, headers };
  io.out(`${say.replaying(scenarioFixesCount(scenario), options.speed)}\n`);
  const finished = (async (): Promise<DemoResult> => {
    const replay = await replayScenario(scenario, target, { speed: options.speed, t0Ms: Math.floor(Date.now() / 1000) * 1000, signal: stopping.signal });
    await server.pipeline.settle();
    clearInterval(poll);
    await incidents.announce();
    if (replay.rejected.length > 0) io.err(`${say.rejected(replay.rejected.length)}\n${replay.rejected.slice(0, 5).map((r) => `  ${r.unit} +${r.t}s: ${r.reason}`).join('\n')}\n`);
    const written = await writeReports(demo, dir, incidents.ids, options.lang, io);
    io.out(`${say.done}\n`);
    return { replay, alerts, incidents: written };
  })();
  finished.catch(() => clearInterval(poll));
  const stop = async () => {
    stopping.abort();
    clearInterval(poll);
    unsubscribe();
    await finished.catch(() => undefined);
    await server.close();
  };
  return { server, dir, dashboardUrl: `${base}/`, scenario, finished, stop };
}

function scenarioFixesCount(scenario: Scenario): number {
  return scenario.units.reduce((n, u) => n + Math.floor((u.path[u.path.length - 1].t - u.path[0].t) / scenario.fixIntervalS) + 1, 0);
}

async function writeReports(demo: DemoServer, dir: string, ids: number[], lang: Lang, io: CommandIo): Promise<DemoResult['incidents']> {
  const say = SAY[lang];
  const { base, headers } = demo;
  const out: DemoResult['incidents'] = [];
  for (const id of ids) {
    const reportUrl = `${base}/api/v1/incidents/${id}/report`;
    const report = await fetch(reportUrl, { headers });
    if (!report.ok) throw new LinderoError('runtime-demo', `the report of incident ${id} could not be made: ${(await report.text()).slice(0, 300)}`);
    const reportFile = join(dir, `incident-${id}-report.html`);
    writeFileSync(reportFile, await report.text());
    const bundle = await fetch(`${base}/api/v1/incidents/${id}/bundle`, { headers });
    const bundleFile = join(dir, `incident-${id}-bundle.json`);
    writeFileSync(bundleFile, await bundle.text());
    io.out(`${say.report(id)}: ${reportFile} (${reportUrl})\n  ${say.bundle}: ${bundleFile}\n`);
    out.push({ id, reportFile, reportUrl, bundleFile });
  }
  return out;
}

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const options = demoOptions(argv);
  if (options === 'help') {
    io.out(DEMO_HELP + '\n');
    return 0;
  }
  const run = await runDemo(options, io);
  return new Promise<number>((resolve) => {
    let code = 0;
    run.finished.catch((e: unknown) => {
      io.err(`lindero demo: ${e instanceof Error ? e.message : String(e)}\n`);
      code = 1;
    });
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      run.stop().then(() => resolve(code), () => resolve(1));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
