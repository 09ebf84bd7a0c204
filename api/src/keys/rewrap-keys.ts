import { recordAudit } from '../audit/record-audit.js';
import type { Store } from '../store/port.js';
import type { KeyWrap } from './key-wrap.js';

export interface RewrapResult {
  /** Keys now wrapped under the current key-encryption key that were not before. */
  rewrapped: number;
  /** Keys that already were. */
  alreadyCurrent: number;
}

/**
 * Re-wraps every organization's signing key and the log's key under the current key-encryption
 * key, while the service runs: one small transaction per key, each replacing the wrapped key only
 * if it is still the one read (a concurrent rotation is never overwritten). The service keeps
 * signing throughout, because it unwraps under either key. Running it again is harmless, so an
 * interrupted run is simply run again. Each re-wrapped organization key leaves an audit entry
 * for that organization's admins.
 */
export async function rewrapAllKeys(store: Store, wrap: KeyWrap): Promise<RewrapResult> {
  const result: RewrapResult = { rewrapped: 0, alreadyCurrent: 0 };
  for (const key of await store.signingKeys.list(null)) {
    if (wrap.isCurrent(key.encryptedPrivateKey)) {
      result.alreadyCurrent += 1;
      continue;
    }
    const replaced = await store.transaction(async (tx) => {
      const latest = await tx.signingKeys.findByKid(key.kid);
      if (!latest || wrap.isCurrent(latest.encryptedPrivateKey)) return false;
      if (!(await tx.signingKeys.rewrap(key.kid, latest.encryptedPrivateKey, wrap.rewrap(key.kid, latest.encryptedPrivateKey)))) return false;
      await recordAudit(tx, { actor: null, orgId: key.orgId, action: 'signing_key.rewrapped', targetId: key.kid });
      return true;
    });
    result[replaced ? 'rewrapped' : 'alreadyCurrent'] += 1;
  }
  const logKey = await store.log.signingKey();
  if (logKey) {
    const replaced = !wrap.isCurrent(logKey.encryptedPrivateKey) && (await store.log.rewrapSigningKey(logKey.kid, logKey.encryptedPrivateKey, wrap.rewrap(logKey.kid, logKey.encryptedPrivateKey)));
    result[replaced ? 'rewrapped' : 'alreadyCurrent'] += 1;
  }
  return result;
}
