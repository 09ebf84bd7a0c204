import type { KeyObject } from 'node:crypto';
import { ConflictError, NotFoundError } from '../core/errors.js';
import type { Repositories, SigningKeyRecord } from '../store/port.js';
import type { KeyWrap } from './key-wrap.js';
import { generateSigningKey } from './signing-keys.js';

/**
 * Organizations' signing keys over their lifetime: created with the organization, rotated (the
 * old key stays valid for what it signed before), revoked from an effective time. Decrypted
 * private keys are cached in memory by kid; they never leave this object.
 */
export class KeyRing {
  private readonly decrypted = new Map<string, KeyObject>();

  constructor(private readonly wrap: KeyWrap) {}

  /** Creates the organization's current key, valid from `at`. */
  async createKey(tx: Repositories, orgId: string, at: string): Promise<SigningKeyRecord> {
    const generated = await generateSigningKey(this.wrap);
    const record: SigningKeyRecord = {
      kid: generated.kid,
      orgId,
      publicJwk: generated.publicJwk,
      encryptedPrivateKey: generated.encryptedPrivateKey,
      validFrom: at,
      validTo: null,
      revokedAt: null,
    };
    await tx.signingKeys.insert(record);
    return record;
  }

  /** The organization's current key and its private half, creating one if it has none. */
  async currentKey(tx: Repositories, orgId: string, at: string): Promise<{ kid: string; privateKey: KeyObject }> {
    const record = (await tx.signingKeys.currentFor(orgId)) ?? (await this.createKey(tx, orgId, at));
    let privateKey = this.decrypted.get(record.kid);
    if (!privateKey) {
      privateKey = this.wrap.unwrap(record.kid, record.encryptedPrivateKey);
      this.decrypted.set(record.kid, privateKey);
    }
    return { kid: record.kid, privateKey };
  }

  /** Ends the current key's validity at `at` and makes a new current key. */
  async rotate(tx: Repositories, orgId: string, at: string): Promise<SigningKeyRecord> {
    const current = await tx.signingKeys.currentFor(orgId);
    if (current) await tx.signingKeys.update(current.kid, { validTo: at });
    return this.createKey(tx, orgId, at);
  }

  /**
   * Revokes a key from `effectiveAt` (which may be in the past, when a compromise is found late):
   * events it signed from then on fail verification. A revoked current key is replaced.
   */
  async revoke(tx: Repositories, orgId: string, kid: string, effectiveAt: string, now: string): Promise<SigningKeyRecord> {
    const record = await tx.signingKeys.findByKid(kid);
    if (!record || record.orgId !== orgId) throw new NotFoundError('Signing key');
    if (record.revokedAt) throw new ConflictError(`key ${kid} was already revoked at ${record.revokedAt}`, 'kid');
    const wasCurrent = record.validTo === null;
    await tx.signingKeys.update(kid, { revokedAt: effectiveAt, ...(wasCurrent ? { validTo: now } : {}) });
    this.decrypted.delete(kid);
    if (wasCurrent) await this.createKey(tx, orgId, now);
    return { ...record, revokedAt: effectiveAt, validTo: wasCurrent ? now : record.validTo };
  }
}
