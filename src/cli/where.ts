import { fstatSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parsePosition } from '../coords/index.js';
import { LinderoError } from '../model/index.js';
import { COMPILED_HERE, loadLayers, saveLayers } from '../layers/node.js';
import { language, parseArgs, positiveNumber } from './args.js';
import type { CommandIo } from './io.js';
import { answer, answerBlock, errorResult, MAX_LINE, oversizeLine, type AnsweredBlock, type WhereOptions } from './where-batch.js';
import { QUEUE_DEPTH, WherePool } from './where-pool.js';

export const WHERE_HELP = `Usage: lindero where [POSITION] [--accuracy M] [--boundary FILE] [--fence FILE] [--json] [--lang en|es] [--threads N]

Which side of the boundary a position is on, how far the line is and in which direction, and how sure.
POSITION: 31.5603,-106.2237 | 31.5603 -106.2237 | 31.5603N 106.2237W | 31°33'37.1"N 106°13'25.3"W
          | MGRS 13RCR1234567890 | UTM 13R 385000 3494000, each optionally followed by its accuracy: ±8
Without POSITION, reads one position per line from stdin and writes one result per line, in order
(a long input is answered by one thread per core; --threads 1 keeps to one).
  --accuracy M   1-sigma GPS accuracy in metres for positions without their own ±M (default: none given, so
                 20 m is assumed and said to be)
  --coverage M   how far from a boundary line its sides count as its territories, metres (default 50000;
                 territory polygons in the layer decide beyond it)
  --boundary F   boundary layer (GeoJSON, KML/KMZ, GPX, Shapefile, GeoPackage); default: the U.S.–Mexico line
  --fence F      fence layer
  --json         print JSON (NDJSON for stdin)
  --lang en|es   language of the sentence (default en)
  --threads N    threads answering stdin lines (default: one per core)`;

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const args = parseArgs(argv, { values: ['accuracy', 'boundary', 'fence', 'lang', 'threads', 'coverage'], flags: ['json', 'help'] });
  if (args.flags.has('help')) {
    io.out(WHERE_HELP + '\n');
    return 0;
  }
  const accuracyM = args.options.accuracy === undefined ? undefined : positiveNumber(args.options.accuracy, 'accuracy', 0);
  const coverageM = args.options.coverage === undefined ? undefined : positiveNumber(args.options.coverage, 'coverage', 0);
  const lang = language(args.options.lang);
  const threads = threadCount(args.options.threads);
  const text = args.positionals.join(' ').trim();
  const position = text ? parsePosition(text) : null;
  const json = args.flags.has('json');
  const files = { boundaryFile: args.options.boundary, fenceFile: args.options.fence, coverageM };
  const tuning: BatchTuning = { workers: threads === undefined ? undefined : threads - 1 };
  // A long batch from a file starts its worker threads now: they load their code while this thread builds the
  // layers, which it then hands them (see whereStream).
  const workers = workerCount(tuning);
  if (!position && workers > 0 && stdinFileChars(io) >= POOL_AFTER_CHARS) {
    tuning.pool = new WherePool(workers, { ...files, accuracyM, json, lang });
  }
  let layers;
  try {
    layers = await loadLayers(args.options.boundary, args.options.fence, coverageM);
  } catch (e) {
    await tuning.pool?.close();
    throw e;
  }
  for (const note of layers.notes) io.err(`note: ${note}\n`);
  const opts: WhereOptions = { layers, accuracyM, json, lang };
  if (position) {
    io.out(answer(position, opts) + '\n');
    return 0;
  }
  // LINDERO_THREADS_CHECK=1: wait for the worker threads and say who answered (for checking an install).
  const check = process.env.LINDERO_THREADS_CHECK === '1' ? { worker: 0, main: 0 } : null;
  if (check) Object.assign(tuning, { waitForWorkers: true, onBlock: (by: 'worker' | 'main') => check[by]++ });
  const code = await whereStream(io, opts, files, tuning);
  if (check) io.err(`threads: ${check.worker} blocks answered by worker threads, ${check.main} by the main thread\n`);
  return code;
}

/** --threads: how many threads answer stdin lines, the main thread included. */
function threadCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,3}$/.test(value.trim()) || Number(value) < 1 || Number(value) > 64) {
    throw new LinderoError('usage', `--threads must be a whole number from 1 to 64, not ${JSON.stringify(value)}`, { field: 'threads' });
  }
  return Number(value);
}

/** Bytes left to read when stdin is a regular file (0 when it is not one: a pipe, a terminal, a test's stream). */
function stdinFileChars(io: CommandIo): number {
  const fd = (io.stdin as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return 0;
  try {
    const stat = fstatSync(fd);
    return stat.isFile() ? stat.size : 0;
  } catch {
    return 0;
  }
}

/** Worker threads besides the main thread. */
function workerCount(tuning: BatchTuning): number {
  return tuning.workers ?? Math.min(availableParallelism(), 8) - 1;
}

/** Characters of input lines answered together (by a worker, or inline): some 1,400 positions. */
const BLOCK_CHARS = 32 * 1024;
/**
 * Blocks answered and not yet written (each some 600 KB of JSON), besides those each worker may hold
 * (QUEUE_DEPTH). The main thread answers blocks too, and once this many wait behind a worker's block it
 * waits for that one: with 4 in all on two cores it waited for a tenth of the run however fast the worker
 * was; 16 keeps it answering unless the worker is far behind, for some 10 MB of output held.
 */
const MAX_BLOCKS_IN_FLIGHT = 16;
/** Input after which worker threads are started (a short batch is over before they would be ready). */
const POOL_AFTER_CHARS = 64 * 1024;

/** How `whereStream` spreads the work; tests set it to exercise the workers on small inputs. */
export interface BatchTuning {
  /** Worker threads besides the main thread, which answers too (0: the main thread alone). Default: one per core but one. */
  workers?: number;
  blockChars?: number;
  poolAfterChars?: number;
  /** Wait for the workers to start instead of answering in the main thread meanwhile (tests). */
  waitForWorkers?: boolean;
  /** Told who answered each block (tests). */
  onBlock?: (by: 'worker' | 'main') => void;
  /** Workers started before the layers were built (they are given the layers when the batch starts). */
  pool?: WherePool;
}

/**
 * One position per stdin line in, one result per line out, in order; bad lines reported and skipped.
 * The main thread reads and cuts the input into blocks of whole lines, worker threads answer them
 * (where-batch.ts), and the output is written block by block in input order, with a bounded number of
 * blocks in flight. A line longer than MAX_LINE is counted here, not kept, so memory stays flat whatever
 * the input holds.
 */
export async function whereStream(io: CommandIo, opts: WhereOptions, files: { boundaryFile?: string; fenceFile?: string; coverageM?: number }, tuning: BatchTuning = {}): Promise<number> {
  const workers = workerCount(tuning);
  const blockChars = tuning.blockChars ?? BLOCK_CHARS;
  const poolAfter = tuning.poolAfterChars ?? POOL_AFTER_CHARS;
  const out = new OrderedOutput(io);
  let pool: WherePool | null = tuning.pool ?? null;
  // A custom boundary is built once, by this thread; the workers restore it (the shipped one they load saved).
  const compiled = () => files.boundaryFile && !opts.layers.fences ? saveLayers(opts.layers, COMPILED_HERE) : undefined;
  let lines = 0;
  let seen = 0;
  /** Whole lines not yet handed out, and the number of the first. */
  let block = '';
  let blockLines = 0;
  /** The start of a line whose newline has not come yet; past MAX_LINE + 1 characters only its length is kept. */
  let carry = '';
  let oversize = -1;

  const dispatch = async () => {
    if (block === '') return;
    const text = block, firstLine = lines + 1;
    lines += blockLines;
    block = '';
    blockLines = 0;
    if (!pool && workers > 0 && seen >= poolAfter) {
      pool = new WherePool(workers, { ...files, accuracyM: opts.accuracyM, json: opts.json, lang: opts.lang });
      pool.sendLayers(compiled());
    }
    if (pool && tuning.waitForWorkers) await pool.whenReady();
    // Output waiting on a slow block is bounded too: past it, wait for that block.
    if (out.inFlight > MAX_BLOCKS_IN_FLIGHT + QUEUE_DEPTH * workers) await out.writeOldest();
    const answered = pool?.submit(text, firstLine);
    if (answered) {
      tuning.onBlock?.('worker');
      return out.add(answered);
    }
    // No worker ready yet, none at all, or all have their fill: the main thread answers this one (its
    // reading and writing take little, so it is one of the threads answering).
    tuning.onBlock?.('main');
    out.add(answerBlock(text, firstLine, opts));
  };
  /** Whole lines (ending with a newline, but for the input's last) into blocks of about blockChars. */
  const addLines = async (text: string) => {
    let start = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      blockLines++;
      if (block.length + (i + 1 - start) >= blockChars) {
        block += text.slice(start, i + 1);
        start = i + 1;
        await dispatch();
      }
    }
    if (start < text.length) block += text.slice(start);
    if (!text.endsWith('\n')) blockLines++; // the input's last line, without a newline
    if (block.length >= blockChars) await dispatch();
  };
  const tooLong = async (chars: number) => {
    await dispatch();
    lines++;
    out.add({ bytes: Buffer.from(errorResult(lines, oversizeLine(chars), opts.json) + '\n'), bad: 1 });
  };

  try {
    pool?.sendLayers(compiled());
    io.stdin.setEncoding('utf8');
    for await (const piece of io.stdin) {
      const chunk = piece as string;
      seen += chunk.length;
      let start = 0;
      if (oversize >= 0) {
        const nl = chunk.indexOf('\n');
        if (nl < 0) {
          oversize += chunk.length;
          continue;
        }
        await tooLong(oversize + nl);
        oversize = -1;
        start = nl + 1;
      }
      const last = chunk.lastIndexOf('\n');
      if (last >= start) {
        await addLines(carry + chunk.slice(start, last + 1));
        carry = chunk.slice(last + 1);
      } else {
        carry += chunk.slice(start);
      }
      // As LineSplitter counts: a line is too long once it has more than MAX_LINE + 1 characters (a CR may end it).
      if (carry.length > MAX_LINE + 1) {
        oversize = carry.length;
        carry = '';
      }
      await out.writeDone();
    }
    if (oversize >= 0) await tooLong(oversize);
    else if (carry !== '') await addLines(carry);
    await dispatch();
    await out.writeAll();
  } finally {
    await (pool as WherePool | null)?.close();
  }
  if (out.bad > 0) io.err(`${out.bad} of ${lines} lines could not be read as positions\n`);
  return out.bad > 0 ? 2 : 0;
}

/**
 * The blocks' output in input order: a block answered in a worker is written once it and every block
 * before it are done.
 */
class OrderedOutput {
  private readonly queue: { block: AnsweredBlock | null; wait: Promise<AnsweredBlock> | null }[] = [];
  bad = 0;

  constructor(private readonly io: CommandIo) {}

  get inFlight(): number {
    return this.queue.length;
  }

  add(block: AnsweredBlock | Promise<AnsweredBlock>): void {
    if (!(block instanceof Promise)) {
      this.queue.push({ block, wait: null });
      return;
    }
    const entry: { block: AnsweredBlock | null; wait: Promise<AnsweredBlock> | null } = { block: null, wait: block };
    // Settled blocks are noticed without awaiting them; a failure is raised when its turn comes.
    block.then((b) => { entry.block = b; }, () => {});
    this.queue.push(entry);
  }

  /** Writes the blocks at the head that are done. */
  async writeDone(): Promise<void> {
    while (this.queue.length > 0 && this.queue[0].block) await this.write(this.queue.shift()!.block!);
  }

  /** Waits for the oldest block and writes it (and any done after it). */
  async writeOldest(): Promise<void> {
    const head = this.queue.shift();
    if (!head) return;
    await this.write(head.block ?? await head.wait!);
    await this.writeDone();
  }

  async writeAll(): Promise<void> {
    while (this.queue.length > 0) await this.writeOldest();
  }

  private async write(block: AnsweredBlock): Promise<void> {
    this.bad += block.bad;
    if (block.bytes.length === 0) return;
    if (this.io.writeBytes) await this.io.writeBytes(block.bytes);
    else await this.io.write(Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.length).toString('utf8'));
  }
}
