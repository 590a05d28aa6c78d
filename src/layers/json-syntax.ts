// Where a text stops being JSON (RFC 8259), and what was expected there, in lindero's own words.
// JSON.parse does the parsing; this runs only after it has failed, because its error is the JavaScript
// engine's own text ("Expected double-quoted property name…"), worded differently by each browser and
// version, and a place read out of that text would vanish when the wording changes.

export interface JsonSyntaxProblem {
  /** 0-based offset of the first character that cannot be JSON (the text's length when it ends early). */
  offset: number;
  problem: string;
}

type Want = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'after-value';

const EXPECTED: Record<Want, string> = {
  value: 'a value',
  'value-or-close': 'a value or "]"',
  key: 'a property name in double quotes',
  'key-or-close': 'a property name in double quotes or "}"',
  colon: '":"',
  'after-value': '',
};

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

/** The first place `text` breaks the JSON grammar, or null when it is JSON. No recursion: any depth is fine. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  const open: ('{' | '[')[] = [];
  let want: Want = 'value';
  let i = 0;
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    const top = open[open.length - 1];
    if (i >= text.length) {
      if (want === 'after-value' && top === undefined) return null;
      return { offset: i, problem: `the text ends early: expected ${expected(want, top)}` };
    }
    const c = text[i];
    if (want === 'after-value') {
      if (top === undefined) return { offset: i, problem: `${describeChar(c)} after the end of the JSON` };
      if (c === ',') want = top === '{' ? 'key' : 'value';
      else if ((top === '{' && c === '}') || (top === '[' && c === ']')) open.pop();
      else return unexpected(text, i, expected(want, top));
      i++;
    } else if (want === 'colon') {
      if (c !== ':') return unexpected(text, i, expected(want, top));
      want = 'value';
      i++;
    } else if (want === 'key' || want === 'key-or-close') {
      if (c === '}' && want === 'key-or-close') {
        open.pop();
        want = 'after-value';
        i++;
      } else if (c === '"') {
        const end = stringEnd(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        want = 'colon';
      } else return unexpected(text, i, expected(want, top));
    } else if (c === ']' && want === 'value-or-close') {
      open.pop();
      want = 'after-value';
      i++;
    } else if (c === '{' || c === '[') {
      open.push(c);
      want = c === '{' ? 'key-or-close' : 'value-or-close';
      i++;
    } else {
      const end = scalarEnd(text, i, want);
      if (typeof end !== 'number') return end;
      i = end;
      want = 'after-value';
    }
  }
}

/** The offset after the string, number or literal at `i`, or the problem. */
function scalarEnd(text: string, i: number, want: Want): number | JsonSyntaxProblem {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c === '-' || (c >= '0' && c <= '9')) {
    NUMBER.lastIndex = i;
    return NUMBER.exec(text) ? NUMBER.lastIndex : unexpected(text, i + 1, 'a digit');
  }
  for (const literal of LITERALS) {
    if (c !== literal[0]) continue;
    for (let k = 1; k < literal.length; k++) {
      if (text[i + k] !== literal[k]) return i + k >= text.length
        ? { offset: text.length, problem: `the text ends early: expected "${literal}"` }
        : unexpected(text, i + k, `"${literal}"`);
    }
    return i + literal.length;
  }
  return unexpected(text, i, EXPECTED[want]);
}

/** The offset after the string that opens at `i`, or the problem inside it. */
function stringEnd(text: string, i: number): number | JsonSyntaxProblem {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return { offset: j, problem: `a control character (U+${c.toString(16).toUpperCase().padStart(4, '0')}) inside a string; write it escaped` };
    if (c !== 0x5c) continue;
    const escape = text[j + 1];
    if (escape === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return { offset: j, problem: 'an escape \\u not followed by four hexadecimal digits' };
      j += 5;
    } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
      j++;
    } else if (escape !== undefined) {
      return { offset: j, problem: `an unknown escape \\${escape} inside a string` };
    }
  }
  return { offset: text.length, problem: 'the text ends early: a string is not closed' };
}

function expected(want: Want, top: '{' | '[' | undefined): string {
  if (want !== 'after-value') return EXPECTED[want];
  if (top === '{') return '"," or "}"';
  if (top === '[') return '"," or "]"';
  return 'the end of the text';
}

function unexpected(text: string, offset: number, what: string): JsonSyntaxProblem {
  return { offset, problem: `${describeChar(text[offset])} where ${what} was expected` };
}

function describeChar(c: string): string {
  return c === '\n' || c === '\r' ? 'a line break' : `the character ${JSON.stringify(c)}`;
}
