// A real lindero server for tests: on 127.0.0.1 with a free HTTP port and its store in a fresh temporary folder.
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';
import { tempDir } from './temp.js';

export interface ServerInTempDir {
  server: RunningServer;
  /** The folder holding the store (and the files kept beside it). */
  dir: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** Closes the server, then removes its folder. */
  close(): Promise<void>;
}

/** startServer on 127.0.0.1, a free HTTP port, the store `dbName` in a new temporary folder removed on close. */
export async function startServerInTempDir(prefix: string, dbName: string, options: ServerOptions): Promise<ServerInTempDir> {
  const tmp = tempDir(prefix);
  try {
    const server = await startServer({ host: '127.0.0.1', port: 0, db: tmp.file(dbName), ...options });
    return {
      server, dir: tmp.dir, origin: `http://127.0.0.1:${server.ports.http}`,
      async close() {
        await server.close();
        tmp.remove();
      },
    };
  } catch (e) {
    tmp.remove();
    throw e;
  }
}
