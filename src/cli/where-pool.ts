// Worker threads for `lindero where`'s stdin batch: each answers whole blocks of lines, and the command
// writes the blocks' output in input order (where.ts). Every worker loads the same layers as the command.
import type { Worker } from 'node:worker_threads';
import type { Lang } from '../answer/index.js';
import { errorFromWire, type WireError } from '../model/index.js';
import { startWorker } from '../model/node.js';
import type { AnsweredBlock } from './where-batch.js';

export interface WhereWorkerData {
  boundaryFile?: string;
  fenceFile?: string;
  coverageM?: number;
  accuracyM: number | undefined;
  json: boolean;
  lang: Lang;
}

/**
 * A worker's first message: the command's layers as compiled (saved-layers.ts), when they have no fences. A
 * worker restores them instead of reading and building a custom boundary again, so building is paid once,
 * not once per thread; without them it loads the layers itself (the shipped ones it restores as saved).
 * The workers start before the command has built its layers, and this follows once it has.
 */
export interface LayersMessage {
  compiledLayers?: Uint8Array;
}

export interface BlockRequest {
  text: string;
  firstLine: number;
}

/** A worker answers its blocks in the order it was given them. */
export type BlockReply = { ok: true; bytes: Uint8Array; bad: number } | { ok: false; error: WireError };

export type WorkerHello = { ready: true } | { ready: false; error: WireError };

interface Waiter {
  resolve: (block: AnsweredBlock) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** The blocks it was given and has not answered yet, oldest first (it answers them in order). */
  queue: Waiter[];
}

/**
 * Blocks a worker may be given ahead: the next is waiting when it finishes one, also while the main thread
 * is busy answering a block of its own (with 2 the worker waited for a tenth of a 2-thread batch).
 */
export const QUEUE_DEPTH = 4;

export class WherePool {
  private readonly slots: Slot[] = [];
  private onAnswer: (() => void) | null = null;
  /** A worker that failed while answering: every later submit fails with this too. */
  private failure: Error | null = null;

  constructor(count: number, data: WhereWorkerData) {
    for (let i = 0; i < count; i++) {
      const slot: Slot = { worker: startWorker(import.meta.url, 'where-worker', data), ready: false, queue: [] };
      slot.worker.on('message', (message: WorkerHello | BlockReply) => this.receive(slot, message));
      slot.worker.on('error', (e) => this.lose(slot, e));
      slot.worker.on('exit', (code) => this.lose(slot, new Error(`a where worker exited (code ${code})`)));
      this.slots.push(slot);
    }
  }

  /** Gives every worker the layers it is to answer with (see LayersMessage); once, before any block. */
  sendLayers(compiledLayers: Uint8Array | undefined): void {
    for (const s of this.slots) s.worker.postMessage({ compiledLayers } satisfies LayersMessage);
  }

  /** Workers that have loaded the layers and can take blocks. */
  get readyCount(): number {
    return this.slots.filter((s) => s.ready).length;
  }

  /**
   * Hands the block to the ready worker with the fewest blocks waiting; null when every one has its fill
   * (the caller waits for an answer, see nextAnswer) or none is ready yet (the caller answers it itself).
   */
  submit(text: string, firstLine: number): Promise<AnsweredBlock> | null {
    if (this.failure) return Promise.reject(this.failure);
    let slot: Slot | null = null;
    for (const s of this.slots) if (s.ready && s.queue.length < QUEUE_DEPTH && (!slot || s.queue.length < slot.queue.length)) slot = s;
    if (!slot) return null;
    const chosen = slot;
    return new Promise<AnsweredBlock>((resolve, reject) => {
      chosen.queue.push({ resolve, reject });
      chosen.worker.postMessage({ text, firstLine } satisfies BlockRequest);
    });
  }

  /** Resolves once a worker is ready (true), or once none is left to become ready (false). */
  async whenReady(): Promise<boolean> {
    while (this.readyCount === 0 && this.slots.length > 0) await this.nextAnswer();
    return this.readyCount > 0;
  }

  /** Resolves when any worker next answers a block, becomes ready, or fails. */
  nextAnswer(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.onAnswer;
      this.onAnswer = () => {
        previous?.();
        resolve();
      };
    });
  }

  private answered(): void {
    const notify = this.onAnswer;
    this.onAnswer = null;
    notify?.();
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private receive(slot: Slot, message: WorkerHello | BlockReply): void {
    if ('ready' in message) {
      // A worker that could not load the layers is left out; the command answers without it.
      if (message.ready) slot.ready = true;
      else void this.drop(slot);
      this.answered();
      return;
    }
    const waiter = slot.queue.shift();
    if (!waiter) return;
    if (message.ok) waiter.resolve({ bytes: message.bytes, bad: message.bad });
    else waiter.reject(this.fail(errorFromWire(message.error)));
    this.answered();
  }

  private lose(slot: Slot, e: Error): void {
    if (!this.slots.includes(slot)) return;
    const waiting = slot.queue.splice(0);
    void this.drop(slot);
    for (const waiter of waiting) waiter.reject(this.fail(e));
    this.answered();
  }

  private async drop(slot: Slot): Promise<void> {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.queue = [];
    await slot.worker.terminate();
  }

  private fail(e: Error): Error {
    this.failure ??= e;
    return e;
  }
}
