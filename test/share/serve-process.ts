// `lindero serve` as a real process (the source through tsx), for tests that link two servers and
// kill them: its first stdout line is the JSON of the ports it listens on.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  http: number;
  link: number | null;
  /** Every port it listens on, as its first stdout line says (cot_tcp, osmand, …). */
  listening: Record<string, number | string | null>;
  base: string;
  stderr: () => string;
  /** SIGKILL: the process dies at once, as in a crash or power loss. */
  crash(): Promise<void>;
  /** SIGTERM: the orderly shutdown. */
  stop(): Promise<void>;
}

export async function startServe(args: string[]): Promise<ServeProcess> {
  const argv = ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--host', '127.0.0.1', '--port', '0',
    '--osmand-port', 'off', '--cot-port', 'off', '--cot-udp-port', 'off', '--nmea-port', 'off', '--cot-tls-port', 'off', ...args];
  const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-20_000); });
  const exited = once(child, 'exit');
  const first = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    void exited.then(([code]) => reject(new Error(`lindero serve exited with ${code} before listening: ${stderr}`)));
  });
  const listening = (JSON.parse(first) as { listening: { http: number; link?: number | null } & Record<string, number | string | null> }).listening;
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    child, http: listening.http, link: listening.link ?? null, listening, base: `http://127.0.0.1:${listening.http}`,
    stderr: () => stderr, crash: () => end('SIGKILL'), stop: () => end('SIGTERM'),
  };
}
