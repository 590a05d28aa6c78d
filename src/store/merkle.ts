// Merkle Tree Hash and audit paths exactly as RFC 6962 §2.1 (also RFC 9162 §2.1):
//
//   MTH({})      = SHA-256()
//   MTH({d0})    = SHA-256(0x00 ‖ d0)                                  (a leaf)
//   MTH(D[n])    = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]))          (a node; k the largest power of two < n)
//
// Everything here works on leaf hashes (SHA-256(0x00 ‖ leaf data)), computed once by leafHash. The tree
// of the split rule above is the same as the one built level by level where an unpaired last node is
// carried up unchanged, which is how trees are built here: 2n hashes for the root, and every audit path
// of a tree read off its levels. The tests hold both equal to the recursive definition for every size
// up to 64, and to the published vectors.
import { hash as oneShotHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

/** SHA-256(0x00 ‖ data): the hash of a leaf whose data is `data`. */
export function leafHash(data: Buffer): Buffer {
  return oneShotHash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');
}

/** SHA-256(0x01 ‖ left ‖ right): an interior node. */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return oneShotHash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
}

/** SHA-256 of nothing: the root of the empty tree. */
export const EMPTY_ROOT = oneShotHash('sha256', Buffer.alloc(0), 'buffer');

/** The levels of the tree over these leaf hashes, from the leaves up to the root (an unpaired last node carried up). */
function levels(leaves: readonly Buffer[]): Buffer[][] {
  const out: Buffer[][] = [leaves.slice()];
  while (out[out.length - 1].length > 1) {
    const below = out[out.length - 1];
    const level: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) level.push(nodeHash(below[i], below[i + 1]));
    if (below.length % 2 === 1) level.push(below[below.length - 1]);
    out.push(level);
  }
  return out;
}

/** MTH over these leaf hashes. */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  const frontier = new MerkleFrontier();
  for (const leaf of leaves) frontier.push(leaf);
  return frontier.root();
}

/** A tree's audit paths, RFC 6962 §2.1.1 (PATH(m, D[n])), for any of its leaves once it is built. */
export class MerkleTree {
  private readonly levels: Buffer[][];

  constructor(leaves: readonly Buffer[]) {
    if (leaves.length === 0) throw new Error('merkle: a tree with no leaves has no audit paths');
    this.levels = levels(leaves);
  }

  get size(): number {
    return this.levels[0].length;
  }

  get root(): Buffer {
    return this.levels[this.levels.length - 1][0];
  }

  /** The audit path of leaf m, from the leaf's sibling up to the root's child. */
  path(m: number): Buffer[] {
    if (!Number.isInteger(m) || m < 0 || m >= this.size) throw new Error(`merkle: no leaf ${m} in a tree of ${this.size}`);
    const path: Buffer[] = [];
    let index = m;
    for (let level = 0; level < this.levels.length - 1; level++) {
      const nodes = this.levels[level];
      const sibling = index ^ 1;
      // The unpaired last node of a level has no sibling there: it is carried up, adding nothing to the path.
      if (sibling < nodes.length) path.push(nodes[sibling]);
      index >>= 1;
    }
    return path;
  }
}

/**
 * The root that an audit path gives for leaf `index` of a tree of `size` leaves, or null when the path
 * cannot belong to such a tree (too short or too long): RFC 9162 §2.1.3.2. Compare the result with the
 * root that is trusted.
 */
export function rootFromPath(index: number, size: number, leaf: Buffer, path: readonly Buffer[]): Buffer | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/**
 * The right edge of a growing tree: the roots of its perfect subtrees, largest first. Appending a leaf is
 * amortised one hash; the root of the tree so far is at most log2(n) more. Lets a verifier walking a
 * chain of any length know the tree head at every checkpoint with memory of its logarithm.
 */
export class MerkleFrontier {
  /** [height, hash] of each perfect subtree, heights strictly decreasing. */
  private readonly stack: { height: number; hash: Buffer }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(leaf: Buffer): void {
    let node = { height: 0, hash: leaf };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].height === node.height) {
      const left = this.stack.pop()!;
      node = { height: node.height + 1, hash: nodeHash(left.hash, node.hash) };
    }
    this.stack.push(node);
    this.count++;
  }

  /** MTH of the leaves pushed so far. */
  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let r = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) r = nodeHash(this.stack[i].hash, r);
    return r;
  }
}
