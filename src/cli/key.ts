import { LinderoError } from '../model/index.js';
import { openStore } from '../store/index.js';
import { openTrustStore, parseRole } from '../trust/index.js';
import { parseArgs } from './args.js';
import type { CommandIo } from './io.js';

export const KEY_HELP = `Usage: lindero key create LABEL [--role viewer|operator|admin] [--db FILE]
       lindero key list [--db FILE]
       lindero key revoke ID [--db FILE]

API keys for clients of a server that listens beyond loopback (lindero serve --host ...). They send
"Authorization: Bearer <key>". The key is printed once, at creation; the store keeps only its hash.
A key acts with its role (default operator): a viewer reads; an operator also reports fixes and
acknowledges alerts; an admin may do everything. Roles are kept in the store with the key (with
PostgreSQL, for every node); every key made, role given and key revoked is in the evidence chain.
  --db FILE   store file (default ./lindero.db) or postgresql:// URL, the same as lindero serve's`;

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const args = parseArgs(argv, { values: ['db', 'role'], flags: ['help', 'json'] });
  const [action, ...rest] = args.positionals;
  if (args.flags.has('help') || action === undefined) {
    io.out(KEY_HELP + '\n');
    return action === undefined && !args.flags.has('help') ? 2 : 0;
  }
  if (!['create', 'list', 'revoke'].includes(action)) {
    throw new LinderoError('usage', `unknown action '${action}': use create, list or revoke`);
  }
  const db = args.options.db ?? './lindero.db';
  const store = await openStore(db, { inWorker: false });
  try {
    if (action === 'create') {
      const label = rest.join(' ').trim();
      if (!label) throw new LinderoError('usage', 'give the key a label saying who or what will use it, e.g. lindero key create "tablet 3"', { field: 'label' });
      const role = parseRole(args.options.role ?? 'operator');
      const created = await store.createApiKey(label);
      const trust = openTrustStore(store);
      try {
        await trust.setKeyRole(created.id, role);
      } catch (e) {
        // Never leave a key behind with a role other than the one asked for.
        await store.revokeApiKey(created.id);
        throw e;
      } finally {
        await trust.close();
      }
      io.out(args.flags.has('json') ? JSON.stringify({ ...created, role }) + '\n' : `${created.key}\n`);
      io.err(`key ${created.id} "${created.label}" (${role}) created; it is shown only now: keep it safe\n`);
      return 0;
    }
    if (action === 'list') {
      for (const k of await store.apiKeys()) {
        const state = k.revokedMs === null ? 'valid' : `revoked ${new Date(k.revokedMs).toISOString()}`;
        io.out(`${k.id}\t${k.label}\tcreated ${new Date(k.createdMs).toISOString()}\t${state}\n`);
      }
      return 0;
    }
    const id = Number(rest[0]);
    if (!Number.isSafeInteger(id) || id <= 0) throw new LinderoError('usage', `revoke takes a key id from 'lindero key list', not ${JSON.stringify(rest[0] ?? '')}`, { field: 'id' });
    if (!(await store.revokeApiKey(id))) throw new LinderoError('unknown-key', `there is no valid key with id ${id}`, { field: 'id' });
    io.out(`key ${id} revoked\n`);
    return 0;
  } finally {
    await store.close();
  }
}
