import { fromHex, toHex } from '../domain/bytes.js';
import { openCheckpoint, parseVerifierKey, type Checkpoint } from '../log/checkpoint.js';
import { leafHash, verifyInclusion } from '../log/merkle.js';
import type { ProvenanceBundle } from './bundle-format.js';
import type { CryptoEngine } from './crypto.js';
import type { EventReport, VerificationReport } from './report.js';

/**
 * The transparency log's word on the bundle: the checkpoint is signed by the log's key, and each
 * event's hash is a leaf of the tree that checkpoint commits to. A server that later rewrote or
 * dropped one of these events would have to fork its log, which a monitor holding a later
 * checkpoint detects.
 */
export async function checkLog(
  bundle: ProvenanceBundle,
  reports: EventReport[],
  crypto: CryptoEngine,
  trustedLogKey: string | undefined,
  errors: string[],
): Promise<VerificationReport['checkpoint']> {
  let checkpoint: Checkpoint;
  try {
    const key = await parseVerifierKey(trustedLogKey ?? bundle.log.verifierKey, crypto.sha256);
    checkpoint = await openCheckpoint(bundle.log.checkpoint, key, crypto.verify);
  } catch (error) {
    errors.push(`log checkpoint: ${(error as Error).message}`);
    for (const report of reports) report.failures.push({ check: 'log', message: 'not proven to be in the transparency log (no valid checkpoint)' });
    return null;
  }
  const proofs = new Map(bundle.log.proofs.map((p) => [p.hash, p]));
  for (const report of reports) {
    const proof = proofs.get(report.hash);
    if (!proof) {
      report.failures.push({ check: 'log', message: `no inclusion proof in the checkpoint of ${checkpoint.treeSize} leaves` });
      continue;
    }
    let included: boolean;
    try {
      const leaf = await leafHash(fromHex(report.hash), crypto.sha256);
      included = await verifyInclusion(proof.leafIndex, checkpoint.treeSize, leaf, proof.hashes.map(fromHex), checkpoint.rootHash, crypto.sha256);
    } catch {
      // A proof whose hashes are not hex, or of the wrong length, proves nothing.
      included = false;
    }
    if (!included) report.failures.push({ check: 'log', message: `the inclusion proof of leaf ${proof.leafIndex} does not lead to the checkpoint’s root` });
  }
  return { origin: checkpoint.origin, treeSize: checkpoint.treeSize, rootHash: toHex(checkpoint.rootHash) };
}
