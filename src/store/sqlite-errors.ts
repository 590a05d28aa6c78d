import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LinderoError } from '../model/index.js';

function sqliteCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** Errors that come from the file or the machine, not from a statement: they keep their own meaning. */
export function isEnvironmentError(e: unknown): boolean {
  const code = sqliteCode(e);
  return code !== undefined && /^SQLITE_(BUSY|LOCKED|CORRUPT|NOTADB|IOERR|FULL|READONLY|CANTOPEN)/.test(code);
}

function whyCannotOpen(file: string): string {
  try {
    if (statSync(file).isDirectory()) return 'it is a directory';
  } catch {
    // The file does not exist yet: the problem is its directory.
  }
  const dir = dirname(file);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `its directory ${dir} is not writable`;
  }
  return 'the file or its directory cannot be opened for reading and writing';
}

/** Turns whatever opening or using the file threw into a LinderoError that names the file. */
export function storeError(e: unknown, file: string): LinderoError {
  if (e instanceof LinderoError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  const code = sqliteCode(e) ?? '';
  const place = { file };
  if (code === 'SQLITE_NOTADB') {
    return new LinderoError('store-not-sqlite', `${file} is not a SQLite database (${detail})`, place);
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new LinderoError('store-corrupt', `${file} is corrupt: ${detail}; restore it from a backup`, place);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new LinderoError('store-locked', `${file} is locked by another connection or process (${detail})`, place);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new LinderoError('store-cannot-open', `cannot open ${file}: ${whyCannotOpen(file)}`, place);
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new LinderoError('store-read-only', `cannot write ${file}: the file or its directory is read-only (${detail})`, place);
  }
  if (code === 'SQLITE_FULL') {
    return new LinderoError('store-disk-full', `cannot write ${file}: the disk is full`, place);
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new LinderoError('store-io', `input/output error on ${file}: ${detail} (${code})`, place);
  }
  return new LinderoError('store-error', `${file}: ${detail}`, place);
}
