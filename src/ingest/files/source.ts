// Bytes in, text chunks out: the I/O shared by all track readers.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { isAscii, isUtf8 } from 'node:buffer';
import { LinderoError } from '../../model/index.js';
import type { TextEncodingName } from './detect.js';

// 64 KiB: a decoded chunk stays under V8's large-object size, so it is allocated in the young generation
// instead of fresh pages per chunk (measured: a third of the decoding cost of 256 KiB chunks).
const CHUNK_BYTES = 64 * 1024;

/** The first `n` bytes of a file (fewer if it is shorter). */
export async function readHead(path: string, n: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  yield* createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>;
}

export async function* bytesChunks(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
}

/**
 * Decodes byte chunks as they come; bytes that are not valid text are an error naming the chunk's byte
 * offset, never silent U+FFFD. UTF-8 takes a fast path (simdutf validation, then Latin-1 copy for ASCII
 * chunks, which is most tracks), holding back a character cut by the chunk boundary.
 */
export async function* decodeChunks(chunks: AsyncIterable<Uint8Array>, encoding: TextEncodingName, file: string): AsyncGenerator<string> {
  if (encoding !== 'utf-8') {
    yield* decodeOther(chunks, encoding, file);
    return;
  }
  let offset = 0;
  let carry: Buffer | undefined;
  for await (const chunk of chunks) {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (carry) bytes = Buffer.concat([carry, bytes]);
    const cut = completeUtf8Length(bytes);
    carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : undefined;
    const text = utf8Text(bytes.subarray(0, cut), file, offset);
    offset += cut;
    if (text) yield text;
  }
  if (carry) utf8Text(carry, file, offset); // throws: the file ends inside a character
}

function utf8Text(bytes: Buffer, file: string, offset: number): string {
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (!isUtf8(bytes)) {
    throw new LinderoError('bad-encoding', `the file is not valid UTF-8 text (binary data or another encoding) in the chunk starting at byte ${offset}`, { file, byte: offset });
  }
  return bytes.toString('utf8');
}

/** Length of the prefix that ends on a UTF-8 character boundary (a lead byte's sequence is complete). */
function completeUtf8Length(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

async function* decodeOther(chunks: AsyncIterable<Uint8Array>, encoding: TextEncodingName, file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  try {
    for await (const chunk of chunks) {
      const text = decoder.decode(chunk, { stream: true });
      offset += chunk.length;
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    throw new LinderoError('bad-encoding', `the file is not valid ${encoding} text in the chunk starting at byte ${offset}`, { file, byte: offset });
  }
}

/** Reads a whole file or byte source, refusing it past `maxBytes` (formats that cannot be streamed). */
export async function readAllCapped(path: string | Uint8Array, maxBytes: number, file: string, what: string): Promise<Uint8Array> {
  const size = typeof path === 'string' ? (await stat(path)).size : path.length;
  if (size > maxBytes) {
    throw new LinderoError('file-too-large', `${what} is ${size} bytes; lindero reads at most ${maxBytes} bytes of it at once`, { file });
  }
  if (typeof path !== 'string') return path;
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw new LinderoError('file-too-large', `${what} grew past ${maxBytes} bytes while being read`, { file });
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}
