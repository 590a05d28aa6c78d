// Moves the store's WAL into the database file in its own thread, on its own connection, so no commit
// ever pays for a checkpoint. PASSIVE never waits for the writer or for readers (SQLite's
// wal_checkpoint); the writer, finding the WAL fully copied, starts it again from the beginning.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new Database(file, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or interrupted: the next round tries again, and the writer's own backstop still holds.
  }
}, intervalMs);
parentPort!.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
