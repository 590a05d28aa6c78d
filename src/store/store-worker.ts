// The store's worker thread: one SqliteStore, its group commit and its fsyncs, off the caller's event
// loop. Calls arrive as messages and are answered in the order their work completes; writes are
// answered only after their commit, exactly as when the store runs in the caller's thread.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { openSqliteStore, type SqliteStore } from './sqlite.js';
import { errorToWire } from '../model/index.js';
import { BUFFER_METHODS, Outbox, restoreBuffers, type StoreCall, type StoreReply } from './worker-protocol.js';

const port = parentPort!;
const { file, autoCheckpointPages } = workerData as { file: string; autoCheckpointPages?: number };

// A value that cannot cross (none of the store's should) is answered as its error.
const replies = new Outbox<StoreReply>(
  (batch) => port.postMessage(batch),
  (r, e) => port.postMessage([{ id: r.id, ok: false, error: errorToWire(e) } satisfies StoreReply]),
);

function reply(message: StoreReply): void {
  replies.push(message);
}

let store: SqliteStore;
try {
  store = await openSqliteStore(file, { autoCheckpointPages });
  port.postMessage({ id: 0, ok: true, value: { file: store.file } } satisfies StoreReply);
} catch (e) {
  port.postMessage({ id: 0, ok: false, error: errorToWire(e) } satisfies StoreReply);
  process.exit(0);
}

// Every call waiting in the port is taken at once, so the writes among them share one group commit
// (the port hands over one message per turn of the event loop, and each turn would commit alone).
port.on('message', (calls: StoreCall[]) => {
  for (const call of calls) handle(call);
  for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port)) for (const call of next.message as StoreCall[]) handle(call);
});

function handle(call: StoreCall): void {
  const method = (store as unknown as Record<string, unknown>)[call.method];
  if (typeof method !== 'function' || call.method === 'constructor') {
    reply({ id: call.id, ok: false, error: { lindero: false, name: 'TypeError', message: `the store has no method ${call.method}` } });
    return;
  }
  const args = BUFFER_METHODS.has(call.method) ? (restoreBuffers(call.args) as unknown[]) : call.args;
  let result: Promise<unknown>;
  try {
    result = Promise.resolve((method as (...a: unknown[]) => unknown).apply(store, args));
  } catch (e) {
    result = Promise.reject(e);
  }
  result.then(
    (value) => reply({ id: call.id, ok: true, value }),
    (e: unknown) => reply({ id: call.id, ok: false, error: errorToWire(e) }),
  );
  // The close's reply (queued just before this runs) goes out before the port closes.
  if (call.method === 'close') void result.finally(() => {
    replies.flush();
    port.close();
  });
}
