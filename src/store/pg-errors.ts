import { LinderoError } from '../model/index.js';

/** A PostgreSQL URL as it may be shown: the password replaced by "***". */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

/** Whether `db` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * Turns what node-postgres or the server threw into a LinderoError naming the database (as a redacted
 * URL). SQLSTATE classes: PostgreSQL documentation, Appendix A.
 */
export function pgStoreError(e: unknown, where: string): LinderoError {
  if (e instanceof LinderoError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  const code = codeOf(e);
  const place = { file: where };
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT' || code === 'ENOTFOUND' || code.startsWith('08') || code === '57P03') {
    return new LinderoError('store-cannot-open', `cannot reach the PostgreSQL server of ${where}: ${detail}`, place);
  }
  if (code === '28P01' || code === '28000') return new LinderoError('store-cannot-open', `${where}: the server refused the login: ${detail}`, place);
  if (code === '3D000') return new LinderoError('store-cannot-open', `${where}: no such database: ${detail}`, place);
  if (code === '25006') {
    return new LinderoError('store-read-only', `cannot write ${where}: the server is read-only (a standby, or default_transaction_read_only): ${detail}`, place);
  }
  if (code === '53100') return new LinderoError('store-disk-full', `cannot write ${where}: the database server's disk is full`, place);
  if (code.startsWith('57P') || code === '40P01' || code === '40001') {
    return new LinderoError('store-io', `${where}: the transaction was cut off (${detail}, SQLSTATE ${code}); nothing in it was stored`, place);
  }
  if (code === 'XX001' || code === 'XX002') return new LinderoError('store-corrupt', `${where} is corrupt: ${detail}; restore it from a backup`, place);
  return new LinderoError('store-error', `${where}: ${detail}${code ? ` (SQLSTATE ${code})` : ''}`, place);
}
