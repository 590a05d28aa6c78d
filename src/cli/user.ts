import { LinderoError } from '../model/index.js';
import { hashPassword, MIN_PASSWORD_CHARS, parseRole } from '../trust/index.js';
import { parseArgs } from './args.js';
import type { CommandIo } from './io.js';
import { openCliTrust } from './trust-store.js';

export const USER_HELP = `Usage: lindero user add NAME --role viewer|operator|admin [--db FILE|URL] < password
       lindero user list [--db FILE|URL]

Operator accounts for the dashboard, the position card and field mode when the server listens beyond
loopback. The password is read from the first line of standard input (at least ${MIN_PASSWORD_CHARS} characters)
and kept only as a scrypt hash. Roles: a viewer sees; an operator also acknowledges alerts, writes
incident notes and sends partner messages; an admin also manages devices, keys, users and policies.
Every account made is in the evidence chain. With PostgreSQL, accounts are shared by every node.
  --db FILE|URL   store file (default ./lindero.db) or postgresql:// URL, the same as lindero serve's`;

async function firstLine(io: CommandIo): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0];
}

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const args = parseArgs(argv, { values: ['db', 'role'], flags: ['help'] });
  const [action, ...rest] = args.positionals;
  if (args.flags.has('help') || action === undefined) {
    io.out(USER_HELP + '\n');
    return action === undefined && !args.flags.has('help') ? 2 : 0;
  }
  if (!['add', 'list'].includes(action)) throw new LinderoError('usage', `unknown action '${action}': use add or list`);
  const opened = await openCliTrust(args.options.db ?? './lindero.db', undefined);
  const db = opened.trust;
  try {
    if (action === 'list') {
      for (const u of await db.users()) io.out(`${u.name}\t${u.role}\tcreated ${new Date(u.createdMs).toISOString()}${u.disabledMs === null ? '' : '\tdisabled'}\n`);
      return 0;
    }
    if (rest.length !== 1) throw new LinderoError('usage', 'user add takes one user name', { field: 'name' });
    const role = parseRole(args.options.role);
    const passwordHash = await hashPassword(await firstLine(io));
    await db.addUser(rest[0], role, passwordHash);
    io.err(`user ${rest[0]} added with role ${role}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}
