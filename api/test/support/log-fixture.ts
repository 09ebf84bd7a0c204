import { generateKeyPairSync, sign } from 'node:crypto';
import { base64UrlDecode, fromHex, toHex } from '../../src/domain/bytes.js';
import { formatVerifierKey, signCheckpoint } from '../../src/log/checkpoint.js';
import { inclusionRanges, nodeKey, nodesCompletedBy, subtreeHash } from '../../src/log/merkle.js';
import { sha256 } from '../../src/log/transparency-log.js';
import type { ProvenanceBundle } from '../../src/verifier/bundle-format.js';

/**
 * The `log` section of a hand-made bundle: a fresh log key, a tree of `hashes` in that order
 * built in memory, a signed checkpoint of it and every leaf's inclusion proof.
 */
export async function logSectionFor(hashes: string[], origin = 'test.example/log'): Promise<ProvenanceBundle['log']> {
  const nodes = new Map<string, Uint8Array>();
  for (const [index, hash] of hashes.entries()) {
    for (const n of await nodesCompletedBy(index, fromHex(hash), async (ref) => nodes.get(nodeKey(ref))!, sha256)) nodes.set(nodeKey(n), n.hash);
  }
  const read = (ref: { level: number; index: number }) => nodes.get(nodeKey(ref))!;
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = base64UrlDecode(publicKey.export({ format: 'jwk' }).x as string);
  const root = await subtreeHash({ start: 0, end: hashes.length }, read, sha256);
  const checkpoint = await signCheckpoint({ origin, treeSize: hashes.length, rootHash: root }, origin, raw, async (m) => new Uint8Array(sign(null, m, privateKey)), sha256);
  const proofs = await Promise.all(
    hashes.map(async (hash, leafIndex) => ({
      hash,
      leafIndex,
      hashes: await Promise.all(inclusionRanges(leafIndex, hashes.length).map(async (r) => toHex(await subtreeHash(r, read, sha256)))),
    })),
  );
  return { checkpoint, verifierKey: await formatVerifierKey(origin, raw, sha256), proofs };
}
