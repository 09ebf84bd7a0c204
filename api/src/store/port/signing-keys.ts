/** Organizations' event signing keys: record and repository. */

export interface SigningKeyRecord {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  orgId: string;
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
  /** AES-256-GCM ciphertext of the PKCS#8 private key; never leaves the server. */
  encryptedPrivateKey: string;
  /** Signs events recorded from this time… */
  validFrom: string;
  /** …until it is rotated (null while it is the organization's current key). */
  validTo: string | null;
  /** Signatures on events recorded at or after this time are invalid. */
  revokedAt: string | null;
}

export interface SigningKeyRepository {
  insert(key: SigningKeyRecord): Promise<void>;
  findByKid(kid: string): Promise<SigningKeyRecord | null>;
  /** The organization's current key: not rotated, not revoked. */
  currentFor(orgId: string): Promise<SigningKeyRecord | null>;
  /** Keys of `orgId`, or of every organization when null; oldest first. */
  list(orgId: string | null): Promise<SigningKeyRecord[]>;
  update(kid: string, patch: Partial<Pick<SigningKeyRecord, 'validTo' | 'revokedAt'>>): Promise<void>;
  /** Replaces the wrapped private key if it is still `from`; false when it has changed meanwhile. */
  rewrap(kid: string, from: string, to: string): Promise<boolean>;
}
