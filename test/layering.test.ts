// The layout of the code holds (the design notes' "Where things live"): each folder of src/ imports only
// from folders below it, only through their index.ts, and no module imports itself round a circle.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), '..'));

/** src/'s folders from the bottom layer up: each may import only from those before it. */
export const LAYERS = ['model', 'geo', 'coords', 'layers', 'answer', 'rules', 'ingest', 'analysis', 'store', 'trust', 'live', 'share', 'incidents', 'server', 'cli'];
/**
 * The modules through which a folder is used: its index.ts; for model/ also node.ts (starting a worker
 * thread), for layers/ also node.ts, the loaders that need
 * Node (files on disk, the saved default layers), kept apart so that index.ts stays pure for the web apps; for
 * answer/ also schemas.ts, the wire contract in TypeBox, kept apart so that the CLI starts without loading it.
 */
const ENTRIES: Record<string, string[]> = { model: ['index.ts', 'node.ts'], layers: ['index.ts', 'node.ts'], answer: ['index.ts', 'schemas.ts'] };
/** The web apps use only the pure entries: no node.ts. */
const isWebEntry = (folder: string, target: string) => isEntry(folder, target) && !target.endsWith('/node.ts');
const isEntry = (folder: string, target: string) => (ENTRIES[folder] ?? ['index.ts']).some((e) => target === `src/${folder}/${e}`);
/** What the dashboard and field mode may use of src/: the pure folders. */
const WEB_MAY_USE = ['model', 'geo', 'coords', 'layers', 'answer', 'rules'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every relative module a file imports (static, dynamic and type-only), as paths from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|[\s;])(import|export)\s(type\s)?[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const spec = m[3] ?? m[4];
    out.push(relative(ROOT, normalize(join(dirname(file), spec))).replace(/\.js$/, '.ts'));
  }
  return out;
}

const folderOf = (path: string): string | null => {
  const parts = path.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : null;
};
const isTest = (path: string) => path.endsWith('.test.ts');

test('every folder of src/ is in the layering, and each index.ts opens with one line saying what its folder is', () => {
  const folders = readdirSync(join(ROOT, 'src')).filter((n) => statSync(join(ROOT, 'src', n)).isDirectory());
  assert.deepEqual(folders.filter((f) => !LAYERS.includes(f)), []);
  for (const folder of LAYERS) {
    const first = readFileSync(join(ROOT, 'src', folder, 'index.ts'), 'utf8').split('\n')[0];
    assert.match(first, /^\/\/ \S.{20,}/, `src/${folder}/index.ts opens with a line saying what the folder is`);
  }
});

test('a folder imports only from folders below it, and only through their index.ts', () => {
  const wrong: string[] = [];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const from = relative(ROOT, file);
    const fromFolder = folderOf(from)!;
    for (const target of importsOf(file)) {
      const toFolder = folderOf(target);
      if (toFolder === fromFolder) continue;
      if (toFolder === null) {
        // Tests may use the shared test helpers; code may not reach outside src/.
        if (!(isTest(from) && target.startsWith('test/helpers/'))) wrong.push(`${from} → ${target} (outside src/)`);
        continue;
      }
      if (LAYERS.indexOf(toFolder) > LAYERS.indexOf(fromFolder)) wrong.push(`${from} → ${target} (imports up)`);
      else if (!isEntry(toFolder, target)) wrong.push(`${from} → ${target} (not through index.ts)`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('no module of src/ imports itself round a circle, not even through types', () => {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const from = relative(ROOT, file);
    if (!isTest(from)) graph.set(from, importsOf(file).filter((t) => t.startsWith('src/')));
  }
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  assert.deepEqual(cycles, []);
});

test('the dashboard and field mode use only the pure folders of src/, through their index.ts', () => {
  const wrong: string[] = [];
  for (const dir of ['web/src', 'web/field/src']) {
    for (const file of sourceFiles(join(ROOT, dir))) {
      for (const target of importsOf(file)) {
        const folder = folderOf(target);
        if (folder === null) continue;
        if (!WEB_MAY_USE.includes(folder) || !isWebEntry(folder, target)) wrong.push(`${relative(ROOT, file)} → ${target}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});
