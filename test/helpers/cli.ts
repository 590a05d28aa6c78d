import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { CommandIo } from '../../src/cli/io.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process with the given stdin text (fast; for most tests). */
export async function runInProcess(args: string[], stdin = ''): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdin: Readable.from([stdin]),
    out: (t) => { stdout += t; },
    err: (t) => { stderr += t; },
    write: async (t) => { stdout += t; },
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Runs `lindero` as a real process: the source through tsx, or the installed bin when `bin` is set. */
export function runProcess(args: string[], stdin = '', opts: { bin?: boolean; env?: Record<string, string> } = {}): Promise<CliResult> {
  const argv = opts.bin ? ['bin/lindero.js', ...args] : ['--import', 'tsx', 'src/cli/main.ts', ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
