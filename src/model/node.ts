// The model's one piece that needs Node: starting a worker thread from TypeScript or the build alike, for the store and the CLI. Apart from index.ts, which the web apps load.
export { startWorker } from './start-worker.js';
