// A worker of `lindero where`'s stdin batch: takes the command's layers (or loads the same), then answers the
// blocks of lines it is given (where-batch.ts) and hands back their output bytes.
import { parentPort, workerData } from 'node:worker_threads';
import { errorToWire } from '../model/index.js';
import { COMPILED_HERE, loadLayers, restoreLayers } from '../layers/node.js';
import { answerBlock, type WhereOptions } from './where-batch.js';
import type { BlockReply, BlockRequest, LayersMessage, WhereWorkerData, WorkerHello } from './where-pool.js';

const data = workerData as WhereWorkerData;
const port = parentPort!;

// The layers come first (LayersMessage), then blocks to answer.
port.once('message', (first: LayersMessage) => void start(first));

async function start(first: LayersMessage): Promise<void> {
  try {
    const layers = (first.compiledLayers && restoreLayers(first.compiledLayers, COMPILED_HERE)) || await loadLayers(data.boundaryFile, data.fenceFile, data.coverageM);
    const opts: WhereOptions = { layers, accuracyM: data.accuracyM, json: data.json, lang: data.lang };
    port.on('message', (request: BlockRequest) => {
      let reply: BlockReply;
      try {
        const { bytes, bad } = answerBlock(request.text, request.firstLine, opts);
        reply = { ok: true, bytes, bad };
      } catch (e) {
        reply = { ok: false, error: errorToWire(e) };
      }
      port.postMessage(reply, reply.ok ? [reply.bytes.buffer as ArrayBuffer] : []);
    });
    port.postMessage({ ready: true } satisfies WorkerHello);
  } catch (e) {
    port.postMessage({ ready: false, error: errorToWire(e) } satisfies WorkerHello);
  }
}
