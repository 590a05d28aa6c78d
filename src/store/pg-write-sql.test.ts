// The PostgreSQL store's commit text: values travel as dollar-quoted JSON literals, which text from a device
// must never be able to close (the store's tests send such text to a real server too: pg.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sqlWithJson } from './pg-write-sql.js';

/** The dollar-quoted literals of `sql` as PostgreSQL's lexer reads them: each opened by $tag$ and closed by the next $tag$. */
function literals(sql: string): string[] {
  const out: string[] = [];
  const opener = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/g;
  for (let m = opener.exec(sql); m; m = opener.exec(sql)) {
    const end = sql.indexOf(m[0], m.index + m[0].length);
    assert.ok(end >= 0, `a literal opened by ${m[0]} is never closed`);
    out.push(sql.slice(m.index + m[0].length, end));
    opener.lastIndex = end + m[0].length;
  }
  return out;
}

test('each value is one literal holding exactly its JSON text, whatever delimiters the text holds', () => {
  const hostile = ['$j$', "x$j$; DROP TABLE fixes; --", '$j$$j$', 'ends with $j', '$', '$$', 'j$'];
  const values = [[hostile], [['plain', 1, null]], [{ note: hostile.join('') }]];
  const sql = sqlWithJson((literal) => `SELECT ${values.map((v) => `${literal(v)}::jsonb`).join(', ')};`);
  assert.deepEqual(literals(sql).map((text) => JSON.parse(text)), values);
  assert.ok(!sql.startsWith('SELECT $j$'), 'a text holding the first delimiter made it choose another');
});

test('the plain delimiter is kept when no text holds it, and the statement around the literals is as built', () => {
  const sql = sqlWithJson((literal) => `BEGIN; INSERT INTO t SELECT * FROM jsonb_array_elements(${literal([1, 'two'])}::jsonb);\nCOMMIT`);
  assert.equal(sql, 'BEGIN; INSERT INTO t SELECT * FROM jsonb_array_elements($j$[1,"two"]$j$::jsonb);\nCOMMIT');
});

test('a delimiter in the statement itself, outside any literal, also makes it choose another', () => {
  const sql = sqlWithJson((literal) => `SELECT ${literal(['a'])}::jsonb, '$j$';`);
  assert.ok(!sql.startsWith('SELECT $j$'));
  assert.deepEqual(literals(sql.slice(0, sql.indexOf('::jsonb'))).map((t) => JSON.parse(t)), [['a']]);
});
