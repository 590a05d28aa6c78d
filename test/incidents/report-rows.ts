// Reads the determinations table of an inquiry report back, and checks each row against `lindero where`.
import assert from 'node:assert/strict';
import { runInProcess } from '../helpers/cli.js';

export type ReportRow = Record<string, string>;

/** The data attributes of every row of the determinations table. */
export function reportRows(html: string): ReportRow[] {
  const table = /<table class="determinations">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr (data-fix-id[^>]*)>/g)].map((m) => {
    const row: ReportRow = {};
    for (const a of m[1].matchAll(/data-([\w-]+)="([^"]*)"/g)) row[a[1]] = a[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"');
    return row;
  });
}

/**
 * A fix's coordinate as `lindero where` reads a point: a stored 31.56 is the device's point, but "31.56" typed
 * would be rounded to 0.01° (its digits name a square), so it is padded to six decimals, the same number.
 */
function asPoint(value: string): string {
  const dot = value.indexOf('.');
  const decimals = dot < 0 ? 0 : value.length - dot - 1;
  return decimals >= 6 ? value : `${value}${dot < 0 ? '.' : ''}${'0'.repeat(6 - decimals)}`;
}

/** Asks `lindero where --json` about every row's position at its accuracy and compares the answers. */
export async function assertRowsMatchWhere(rows: ReportRow[], fenceFile: string): Promise<void> {
  const byAccuracy = new Map<string, ReportRow[]>();
  for (const row of rows) byAccuracy.set(row['accuracy-m'], [...(byAccuracy.get(row['accuracy-m']) ?? []), row]);
  for (const [accuracy, group] of byAccuracy) {
    const stdin = group.map((r) => `${asPoint(r.lat)},${asPoint(r.lon)}`).join('\n') + '\n';
    const r = await runInProcess(['where', '--json', '--accuracy', accuracy, '--fence', fenceFile], stdin);
    assert.equal(r.code, 0, r.stderr);
    const answers = r.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(answers.length, group.length);
    group.forEach((row, i) => {
      const w = answers[i];
      const what = `fix ${row['fix-id']} of ${row.unit} at ${row.time}`;
      assert.equal(row.territory, w.territory, what);
      assert.equal(Number(row['distance-m']), w.boundary.distance_m, what);
      assert.equal(Number(row.confidence), w.confidence, what);
      assert.equal(row.certain, String(w.certain), what);
      assert.equal(row['fence-side'], w.fence?.side ?? '', what);
      assert.equal(row.zone, w.zone, what);
    });
  }
}
