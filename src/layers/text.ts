// Turning layer bytes into text: byte-order marks, UTF-16, and the XML encoding declaration.
import { LinderoError } from '../model/index.js';

/** Decodes bytes to a string. Honours a BOM (UTF-8, UTF-16LE/BE), BOM-less UTF-16 XML, and an XML `encoding=` declaration. */
export function decodeText(bytes: Uint8Array, file: string): string {
  const encoding = sniffEncoding(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding.label, { fatal: true, ignoreBOM: false });
  } catch {
    throw new LinderoError('layer-encoding', `declares the text encoding '${encoding.label}', which is not supported`, { file, line: 1 });
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new LinderoError(
      'layer-encoding',
      `is not valid ${encoding.label} text (binary data, or a different encoding than declared)`,
      { file, ...firstInvalidUtf8(bytes, encoding.label) },
    );
  }
}

interface Sniffed {
  label: string;
}

function sniffEncoding(b: Uint8Array): Sniffed {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { label: 'utf-8' };
  if (b[0] === 0xff && b[1] === 0xfe) return { label: 'utf-16le' };
  if (b[0] === 0xfe && b[1] === 0xff) return { label: 'utf-16be' };
  // XML 1.0 Appendix F: "<?" in UTF-16 without a BOM.
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x3f && b[3] === 0x00) return { label: 'utf-16le' };
  if (b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00 && b[3] === 0x3f) return { label: 'utf-16be' };
  const declared = declaredXmlEncoding(b);
  return { label: declared ?? 'utf-8' };
}

/** The encoding named in `<?xml ... encoding="..."?>`, if the bytes start with one (ASCII-compatible encodings only). */
function declaredXmlEncoding(b: Uint8Array): string | undefined {
  const head = String.fromCharCode(...b.subarray(0, 200));
  const match = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  if (!match) return undefined;
  const label = match[1].toLowerCase();
  // A file that declares UTF-16 but reached here has no BOM and no UTF-16 "<?" pattern: it is really 8-bit.
  return label.startsWith('utf-16') ? 'utf-8' : label;
}

/** Line of the first byte that is not valid UTF-8, so the error can say where binary data starts. */
function firstInvalidUtf8(bytes: Uint8Array, label: string): { line?: number; byte?: number } {
  if (label !== 'utf-8') return {};
  let low = 0;
  let high = bytes.length;
  // Binary search for the longest valid prefix; streaming mode lets a prefix end inside a multi-byte sequence.
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid;
    }
  }
  let line = 1;
  for (let i = 0; i < low; i++) if (bytes[i] === 0x0a) line++;
  return { line, byte: low };
}

/** 1-based line and column of a UTF-16 offset in text. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Index of the first character that is not whitespace or a BOM, or -1. */
export function firstContentIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xfeff) return i;
  }
  return -1;
}
