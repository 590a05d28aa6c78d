import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `name` that sits beside the module `here` (pass its import.meta.url): the
 * compiled .js, or, when running from the TypeScript source, a small loader that registers tsx in the
 * worker first (a worker does not inherit its parent's loader hooks).
 */
export function startWorker(here: string, name: string, workerData: unknown): Worker {
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, here), { workerData });
  const source = new URL(`./${name}.ts`, here).href;
  const loader = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(loader, { eval: true, workerData });
}
