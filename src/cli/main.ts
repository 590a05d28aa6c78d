import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { isLinderoError } from '../model/index.js';
import { processIo, type CommandIo } from './io.js';

const HELP = `lindero — which side of the boundary am I on? The legal treaty line, not the fence.

Usage: lindero <command> [options]

Commands:
  where [POSITION]   which territory, how far to the line, how sure (stdin: one position per line)
  track FILE...      crossings, closest approach and time in each territory from a recorded track
  serve              the live tracking server with the dashboard
  demo               the server with a built-in scenario replayed into it
  key create LABEL   an API key for clients when the server listens beyond this machine
  device add NAME    enrol a device: a token and a client certificate; list, revoke, package (TAK)
  user add NAME      an operator account with a role (viewer, operator, admin)
  verify             check the evidence chain of a store (--db FILE) or an exported bundle
  export             write an incident's self-contained evidence bundle
  report             write an incident's inquiry report (HTML, or PDF through chromium)

Run 'lindero <command> --help' for a command's options.
  --help      this text
  --version   the version`;

type Command = (argv: string[], io: CommandIo) => Promise<number>;

/**
 * Each command lives in src/cli/<name>.ts and exports `command`. They are imported on demand, so that
 * `lindero where` does not pay for loading the server.
 */
const COMMANDS = ['where', 'track', 'serve', 'demo', 'key', 'device', 'user', 'verify', 'export', 'report'];

async function loadCommand(name: string): Promise<Command | undefined> {
  if (!COMMANDS.includes(name)) return undefined;
  try {
    const mod = (await import(`./${name}.js`)) as { command?: Command };
    return mod.command;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(`${name}.`)) return undefined;
    throw e;
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version() + '\n');
    return 0;
  }
  const command = await loadCommand(name);
  if (!command) {
    io.err(`lindero: unknown command '${name}'. Run 'lindero --help'.\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    if (isLinderoError(e)) {
      io.err(`lindero ${name}: ${e.describe()}\n`);
      return e.code.startsWith('runtime') ? 1 : 2;
    }
    io.err(`lindero ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/**
 * The exit status when the reader of standard output has gone (`lindero where --json < big.txt | head`): what a
 * shell reports for a Unix tool stopped by SIGPIPE (128 + 13). Quietly, as they stop: Node ignores SIGPIPE, so the
 * write fails with EPIPE instead, which is no error of the command's.
 */
export const READER_GONE = 141;

/** Runs the command line of this process and sets its exit code. */
export function run(): Promise<void> {
  // Attached first, so it runs before any write waiting on the stream sees the error (and the workers stop too).
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(READER_GONE);
  });
  return main(process.argv.slice(2), processIo()).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`lindero: ${e instanceof Error ? e.stack : String(e)}\n`); process.exitCode = 1; },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void run();
