// The tree head a checkpoint signs: RFC 6962's tree over the hashes of entries 1 to n, whichever form they
// are of, the same when it is extended from the last one computed as when computed afresh.
import assert from 'node:assert/strict';
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { after, test } from 'node:test';
import { leafHash, merkleRoot, openSqliteStore } from '../store/index.js';
import { fixToAppend, tempDir } from '../../test/helpers/store-fixtures.js';
import { checkpointHead, checkpointSignatureValid, entryTreeRoot, type EvidenceKey } from './index.js';

const tmp = tempDir();
after(() => tmp.remove());
const T0 = Date.UTC(2019, 3, 13, 15, 0, 0);

function key(): EvidenceKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, fingerprint: '', privateFile: null, publicFile: null, created: true };
}

test('each checkpoint signs the tree head over every entry hash so far, across both forms and extended commit by commit', async () => {
  const file = tmp.file('tree.db');
  const evidenceKey = key();
  let store = await openSqliteStore(file, { chainForm: 'record' });
  await store.appendFixes([fixToAppend('u', T0, 31, -106), fixToAppend('u', T0 + 1, 31, -106)]);
  await store.close();
  store = await openSqliteStore(file);
  const independent = async () => merkleRoot((await store.chainHashes(0, 10_000)).map(leafHash));
  for (let k = 0; k < 5; k++) {
    await Promise.all([store.appendFixes([fixToAppend('v', T0 + 10 * k, 31, -106)]), store.appendFixes([fixToAppend('w', T0 + 10 * k, 31, -106)])]);
    const checkpoint = (await checkpointHead(store, evidenceKey, () => T0 + k))!;
    assert.equal(checkpoint.n, 2 + k + 1, 'two record entries, then one commit per round');
    assert.deepEqual(checkpoint.treeRoot, await independent(), `round ${k}`);
    assert.ok(checkpointSignatureValid(checkpoint));
    assert.ok(!checkpointSignatureValid({ ...checkpoint, treeRoot: Buffer.alloc(32) }), 'the tree head is signed');
  }
  assert.equal(await entryTreeRoot(store, 99), null, 'no tree head beyond the chain');
  assert.deepEqual(await entryTreeRoot(store, 3), merkleRoot((await store.chainHashes(0, 3)).map(leafHash)), 'an earlier size read afresh');
  await store.close();
});
