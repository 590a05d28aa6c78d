// A worker of `lindero where`'s stdin batch: loads the same layers as the command, then answers the
// blocks of lines it is given (where-batch.ts) and hands back their output bytes.
import { parentPort, workerData } from 'node:worker_threads';
import { errorToWire } from '../model/index.js';
import { COMPILED_HERE, loadLayers, restoreLayers } from '../layers/node.js';
import { answerBlock, type WhereOptions } from './where-batch.js';
import type { BlockReply, BlockRequest, WhereWorkerData, WorkerHello } from './where-pool.js';

const data = workerData as WhereWorkerData;
const port = parentPort!;

try {
  const layers = (data.compiledLayers && restoreLayers(data.compiledLayers, COMPILED_HERE)) || await loadLayers(data.boundaryFile, data.fenceFile, data.coverageM);
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
