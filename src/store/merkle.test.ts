// RFC 6962 §2.1 conformance: the tree hash and the audit paths against the published vectors, and against
// a straightforward recursive reading of the RFC's definitions for every tree size from 1 to 64.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { EMPTY_ROOT, leafHash, MerkleFrontier, MerkleTree, merkleRoot, nodeHash, rootFromPath } from './merkle.js';

const hex = (b: Buffer) => b.toString('hex');
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

// The leaf inputs, the root of every prefix of them and the node hashes of the 8-leaf tree, published with
// the reference implementation of RFC 6962 trees: transparency-dev/merkle, testonly/constants.go
// (LeafInputs, RootHashes, NodeHashes; the same values as Certificate Transparency's merkle_tree_test.cc).
const INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const NODES = [
  ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7', '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1'],
  ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0'],
  ['d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'],
];

/** RFC 6962 §2.1 read literally, on the leaf data: MTH(D[n]), with k the largest power of two smaller than n. */
function referenceRoot(data: Buffer[]): Buffer {
  if (data.length === 0) return sha();
  if (data.length === 1) return sha(Buffer.from([0]), data[0]);
  const k = largestPowerOfTwoBelow(data.length);
  return sha(Buffer.from([1]), referenceRoot(data.slice(0, k)), referenceRoot(data.slice(k)));
}

/** RFC 6962 §2.1.1 read literally: PATH(m, D[n]). */
function referencePath(m: number, data: Buffer[]): Buffer[] {
  if (data.length <= 1) return [];
  const k = largestPowerOfTwoBelow(data.length);
  return m < k
    ? [...referencePath(m, data.slice(0, k)), referenceRoot(data.slice(k))]
    : [...referencePath(m - k, data.slice(k)), referenceRoot(data.slice(0, k))];
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

test('the tree hash of every prefix of the published leaves is the published root', () => {
  assert.equal(hex(EMPTY_ROOT), ROOTS[0]);
  assert.equal(hex(merkleRoot([])), ROOTS[0]);
  const leaves = INPUTS.map(leafHash);
  for (let n = 1; n <= INPUTS.length; n++) {
    assert.equal(hex(merkleRoot(leaves.slice(0, n))), ROOTS[n], `size ${n}`);
    assert.equal(hex(new MerkleTree(leaves.slice(0, n)).root), ROOTS[n], `size ${n}, built level by level`);
  }
  assert.deepEqual(leaves.map(hex), NODES[0]);
});

test('the audit paths of the published 8-leaf tree are made of its published node hashes', () => {
  const tree = new MerkleTree(INPUTS.map(leafHash));
  for (let m = 0; m < 8; m++) {
    const expected = [NODES[0][m ^ 1], NODES[1][(m >> 1) ^ 1], NODES[2][(m >> 2) ^ 1]];
    assert.deepEqual(tree.path(m).map(hex), expected, `leaf ${m}`);
    assert.equal(hex(rootFromPath(m, 8, Buffer.from(NODES[0][m], 'hex'), tree.path(m))!), ROOTS[8]);
  }
});

test('for every size from 1 to 64, root and every audit path equal the RFC read literally, and every path verifies', () => {
  const data = Array.from({ length: 64 }, (_, i) => Buffer.from(`leaf ${i} ${'x'.repeat(i % 7)}`));
  const frontier = new MerkleFrontier();
  for (let n = 1; n <= 64; n++) {
    const d = data.slice(0, n);
    const leaves = d.map(leafHash);
    frontier.push(leaves[n - 1]);
    const expectedRoot = referenceRoot(d);
    const tree = new MerkleTree(leaves);
    assert.deepEqual(tree.root, expectedRoot, `root of ${n}`);
    assert.deepEqual(merkleRoot(leaves), expectedRoot, `merkleRoot of ${n}`);
    assert.deepEqual(frontier.root(), expectedRoot, `frontier root of ${n}`);
    for (let m = 0; m < n; m++) {
      const path = tree.path(m);
      assert.deepEqual(path, referencePath(m, d), `path of leaf ${m} of ${n}`);
      assert.deepEqual(rootFromPath(m, n, leaves[m], path), expectedRoot, `leaf ${m} of ${n} verifies`);
    }
  }
});

test('a path proves nothing for another leaf, another index, or with a node changed, added or dropped', () => {
  const leaves = Array.from({ length: 13 }, (_, i) => leafHash(Buffer.from([i])));
  const tree = new MerkleTree(leaves);
  const root = tree.root;
  const ok = (m: number, size: number, leaf: Buffer, path: Buffer[]) => rootFromPath(m, size, leaf, path)?.equals(root) === true;
  for (let m = 0; m < 13; m++) {
    const path = tree.path(m);
    assert.ok(ok(m, 13, leaves[m], path));
    assert.ok(!ok(m, 13, leaves[(m + 1) % 13], path), `leaf ${m}: another leaf`);
    assert.ok(!ok((m + 1) % 13, 13, leaves[m], path), `leaf ${m}: another index`);
    for (let i = 0; i < path.length; i++) {
      const forged = path.slice();
      forged[i] = Buffer.from(forged[i]);
      forged[i][0] ^= 1;
      assert.ok(!ok(m, 13, leaves[m], forged), `leaf ${m}: node ${i} changed`);
    }
    assert.ok(!ok(m, 13, leaves[m], [...path, root]), `leaf ${m}: a node added`);
    assert.ok(!ok(m, 13, leaves[m], path.slice(0, -1)), `leaf ${m}: a node dropped`);
  }
  assert.equal(rootFromPath(13, 13, leaves[0], []), null);
  assert.equal(rootFromPath(-1, 13, leaves[0], []), null);
  // The root alone does not bind the size (leaf 0's path is the same in trees of 13 and 14): the size is
  // bound by what is signed next to the root.
  assert.ok(ok(0, 14, leaves[0], tree.path(0)));
  // A leaf cannot pass for an interior node: leaves and nodes are hashed with different prefixes.
  assert.notDeepEqual(leafHash(Buffer.concat([leaves[0], leaves[1]])), nodeHash(leaves[0], leaves[1]));
});
