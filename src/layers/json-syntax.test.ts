// Field mode words a JSON syntax error itself (the engine's words differ between browsers): where the text
// stops being JSON, and what was expected there. The oracle for "is it JSON at all" is JSON.parse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSyntaxProblem } from './json-syntax.js';
import { seeded } from '../../test/helpers/geodesic-oracle.js';

describe('where a text stops being JSON', () => {
  it('names the place and what was expected', () => {
    const cases: [string, number, string][] = [
      ['{"type": "FeatureCollection", "features": [\n  {"type": "Feature",', 65, 'the text ends early: expected a property name in double quotes'],
      ['[1,2,]', 5, 'the character "]" where a value was expected'],
      ['{"a" 1}', 5, 'the character "1" where ":" was expected'],
      ["{'a':1}", 1, 'the character "\'" where a property name in double quotes or "}" was expected'],
      ['{"a":tru}', 8, 'the character "}" where "true" was expected'],
      ['{"a":"x\ny"}', 7, 'a control character (U+000A) inside a string; write it escaped'],
      ['{"a":"\\q"}', 6, 'an unknown escape \\q inside a string'],
      ['{"a":1} x', 8, 'the character "x" after the end of the JSON'],
      ['{"a":[1,{"b":null}]', 19, 'the text ends early: expected "," or "}"'],
      ['[-]', 2, 'the character "]" where a digit was expected'],
      ['"abc', 4, 'the text ends early: a string is not closed'],
    ];
    for (const [text, offset, problem] of cases) assert.deepEqual(jsonSyntaxProblem(text), { offset, problem }, text);
  });

  it('agrees with JSON.parse on what is JSON, for valid documents and seeded mutations of them', () => {
    const random = seeded(14);
    const pieces = ['{', '}', '[', ']', ',', ':', '"', '\\', '-', '0', '1', '.', 'e', '+', 't', 'n', ' ', '\n', 'x', '\u0001', 'u'];
    const bases = [
      '{"type":"Feature","properties":{"name":"a \\"b\\" \\u00e9","n":null,"ok":true,"no":false},"geometry":{"type":"LineString","coordinates":[[-106.3,31.5],[-1e-3,2.5E+2]]}}',
      '[[[]],{},[{"a":[0,-0.5,"\\n\\/\\t"]}]]',
      ' "text" ',
    ];
    let checked = 0;
    for (const base of bases) {
      assert.equal(jsonSyntaxProblem(base), null, base);
      for (let n = 0; n < 3000; n++) {
        let text = base;
        for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
          const at = Math.floor(random() * (text.length + 1));
          const kind = random();
          const piece = pieces[Math.floor(random() * pieces.length)];
          text = kind < 0.4 ? text.slice(0, at) + piece + text.slice(at)
            : kind < 0.8 ? text.slice(0, at) + text.slice(at + 1)
              : text.slice(0, at);
        }
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const found = jsonSyntaxProblem(text);
        assert.equal(found === null, valid, JSON.stringify(text));
        if (found) assert.ok(found.offset >= 0 && found.offset <= text.length, JSON.stringify(text));
        checked++;
      }
    }
    assert.equal(checked, 9000);
  });

  it('reads nesting of any depth without recursion', () => {
    assert.equal(jsonSyntaxProblem(`${'['.repeat(200_000)}${']'.repeat(200_000)}`), null);
    assert.equal(jsonSyntaxProblem(`${'['.repeat(200_000)}`)?.offset, 200_000);
  });
});
