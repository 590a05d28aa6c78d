import { existsSync, statSync } from 'node:fs';
import { LinderoError } from '../model/index.js';

/** The file, or a usage error naming it when it does not exist (a store must not be created by reading it). */
export function existingFile(file: string, what: string, field: string): string {
  if (!existsSync(file) || !statSync(file).isFile()) throw new LinderoError('usage', `${what} ${file} does not exist`, { file, field });
  return file;
}

export interface ArgSpec {
  /** Options that take a value, e.g. ["accuracy", "boundary"]. */
  values: string[];
  /** Options that are flags, e.g. ["json", "help"]. */
  flags: string[];
}

export interface ParsedArgs {
  options: Record<string, string | undefined>;
  flags: Set<string>;
  positionals: string[];
}

/**
 * Parses `--name value`, `--name=value` and `--flag`. A token that starts with "-" followed by a digit or a
 * dot is a negative number, not an option (positions like `31.56 -106.22`). After "--" (which shell users
 * type before a negative first number) only known long options are still read as options.
 */
export function parseArgs(argv: string[], spec: ArgSpec): ParsedArgs {
  const options: Record<string, string | undefined> = {};
  const flags = new Set<string>();
  const positionals: string[] = [];
  let afterDashes = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      afterDashes = true;
      continue;
    }
    const known = arg.startsWith('--') && [...spec.flags, ...spec.values].includes(arg.slice(2).split('=')[0]);
    if (!arg.startsWith('-') || /^-[\d.]/.test(arg) || (afterDashes && !known)) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.replace(/^--?/, '').slice(0, eq > 0 ? eq - (arg.startsWith('--') ? 2 : 1) : undefined);
    if (spec.flags.includes(name) || (name === 'h' && spec.flags.includes('help'))) {
      if (eq > 0) throw new LinderoError('usage', `--${name} takes no value`, { field: name });
      flags.add(name === 'h' ? 'help' : name);
    } else if (spec.values.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new LinderoError('usage', `--${name} needs a value`, { field: name });
      options[name] = value;
    } else {
      throw new LinderoError('usage', `unknown option ${arg}`, { field: name });
    }
  }
  return { options, flags, positionals };
}

/** A positive finite number from an option, or a usage error naming it. */
export function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new LinderoError('usage', `--${name} must be a positive number of metres, not ${JSON.stringify(value)}`, { field: name });
  }
  return n;
}

export function language(value: string | undefined): 'en' | 'es' {
  if (value === undefined || value === 'en') return 'en';
  if (value === 'es') return 'es';
  throw new LinderoError('usage', `--lang must be "en" or "es", not ${JSON.stringify(value)}`, { field: 'lang' });
}
