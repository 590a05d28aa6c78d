// Seeded damage to a real file's bytes, for the parsers' fuzz tests.

/** One random damage: bytes changed, a run deleted, bytes inserted, or the file cut short. */
export function mutate(bytes: Uint8Array, rnd: () => number): Uint8Array {
  const out = Buffer.from(bytes);
  const at = Math.floor(rnd() * out.length);
  switch (Math.floor(rnd() * 4)) {
    case 0: {
      for (let i = 0, n = 1 + Math.floor(rnd() * 8); i < n; i++) out[Math.floor(rnd() * out.length)] = Math.floor(rnd() * 256);
      return out;
    }
    case 1: return Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + Math.floor(rnd() * 64)))]);
    case 2: return Buffer.concat([out.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256))), out.subarray(at)]);
    default: return out.subarray(0, at);
  }
}
