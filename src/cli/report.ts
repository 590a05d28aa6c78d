// `lindero report --incident ID --out report.html [--pdf]`: the inquiry report of an incident, one HTML
// file readable without lindero, and optionally its PDF printed by Chromium.
import { writeFileSync } from 'node:fs';
import { LinderoError } from '../model/index.js';
import { existingEvidenceKey, incidentReport, layersRecord, renderPdf, type ReportLangs } from '../incidents/index.js';
import type { Store } from '../store/index.js';
import { parseArgs } from './args.js';
import type { CommandIo } from './io.js';
import { loadLayers } from '../layers/node.js';
import { openCliStore } from './read-store.js';
import { incidentId } from './verify.js';

export const REPORT_HELP = `Usage: lindero report --incident ID [--db FILE|URL] [--db-files PATH] --out REPORT.html [--pdf] [--lang en|es|both]
                      [--boundary FILE] [--fence FILE]

Writes the inquiry report of an incident: a map (SVG, no tiles) with the boundary, fences, tracks and
timed positions; a timeline; every position with its determination; the verification of the evidence
and its hashes. One self-contained HTML file, in English and Spanish by default.
  --incident ID       the incident (see GET /api/v1/incidents)
  --db FILE|URL       the store: a SQLite file (default ./lindero.db) or a postgresql:// URL
  --db-files PATH     with PostgreSQL: the path the evidence key is named after, as given to lindero serve
  --out FILE          where to write the HTML
  --pdf               also print it to a PDF beside it (same name, .pdf), with Debian's chromium
  --lang en|es|both   language (default both)
  --boundary, --fence the layers to draw: give the ones the server ran with (default: the U.S.–Mexico line, no fence)`;

function langs(value: string | undefined): ReportLangs {
  if (value === undefined || value === 'both') return ['en', 'es'];
  if (value === 'en' || value === 'es') return [value];
  throw new LinderoError('usage', `--lang must be en, es or both, not ${JSON.stringify(value)}`, { field: 'lang' });
}

/** A note when the layers given are not the ones the server last recorded classifying with. */
async function layersNote(store: Store, record: Record<string, unknown>): Promise<string | null> {
  const recorded = (await store.policyChanges('layers')).pop();
  if (!recorded || recorded.record.geometry_sha256 === record.geometry_sha256) return null;
  const fences = (recorded.record.fences as { name: string }[] | undefined)?.map((f) => f.name).join(', ') || 'none';
  return `the boundary and fence given are not those the server recorded (fences: ${fences}); the map draws the ones given, the determinations are as stored`;
}

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const args = parseArgs(argv, { values: ['incident', 'db', 'db-files', 'out', 'lang', 'boundary', 'fence'], flags: ['pdf', 'help'] });
  if (args.flags.has('help')) {
    io.out(REPORT_HELP + '\n');
    return 0;
  }
  if (args.positionals.length > 0) throw new LinderoError('usage', `unexpected argument ${JSON.stringify(args.positionals[0])}`);
  const id = incidentId(args.options.incident);
  const out = args.options.out;
  if (!out) throw new LinderoError('usage', '--out FILE is required: where to write the report', { field: 'out' });
  const languages = langs(args.options.lang);
  const layers = await loadLayers(args.options.boundary, args.options.fence);
  for (const note of layers.notes) io.err(`note: ${note}\n`);
  const { store } = await openCliStore(args.options.db, args.options['db-files']);
  let report;
  try {
    const note = await layersNote(store, layersRecord(layers));
    if (note) io.err(`note: ${note}\n`);
    report = await incidentReport(store, layers, id, { key: existingEvidenceKey(store.file), langs: languages });
  } finally {
    await store.close();
  }
  writeFileSync(out, report.html);
  const fixes = report.evidence.units.reduce((n, u) => n + u.fixes.length, 0);
  const verified = report.verdict?.ok ? 'verified' : `NOT verified: ${report.verdict?.problem ?? 'no signed checkpoint covers it yet'}`;
  io.out(`${out}: incident ${id}, ${report.evidence.units.length} units, ${fixes} positions, ${report.evidence.alerts.length} alerts; evidence ${verified}\n`);
  if (args.flags.has('pdf')) {
    const pdf = out.replace(/\.html?$/i, '') + '.pdf';
    await renderPdf(out, pdf);
    io.out(`${pdf}: the same report as PDF\n`);
  }
  return report.verdict?.ok ? 0 : 1;
}
