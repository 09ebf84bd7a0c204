/** The SQLite signing_keys table. */
import type { SigningKeyRecord, SigningKeyRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, json, parse, mapOne } from './sqlite-rows.js';

const toSigningKey = (r: Row): SigningKeyRecord => ({
  kid: r.kid as string,
  orgId: r.org_id as string,
  publicJwk: parse(r.public_jwk),
  encryptedPrivateKey: r.encrypted_private_key as string,
  validFrom: r.valid_from as string,
  validTo: r.valid_to as string | null,
  revokedAt: r.revoked_at as string | null,
});

export function signingKeyRepository({ prepare, run, write }: SqliteConnection): SigningKeyRepository {
  return {
    insert: (k) =>
      write(() => {
        prepare(
          'INSERT INTO signing_keys (kid, org_id, public_jwk, encrypted_private_key, valid_from, valid_to, revoked_at) VALUES (?,?,?,?,?,?,?)',
        ).run(k.kid, k.orgId, json(k.publicJwk), k.encryptedPrivateKey, k.validFrom, k.validTo, k.revokedAt);
      }),
    findByKid: (kid) => run(() => mapOne(prepare('SELECT * FROM signing_keys WHERE kid = ?').get(kid), toSigningKey)),
    currentFor: (orgId) =>
      run(() =>
        mapOne(prepare('SELECT * FROM signing_keys WHERE org_id = ? AND valid_to IS NULL AND revoked_at IS NULL').get(orgId), toSigningKey),
      ),
    list: (orgId) =>
      run(() =>
        (orgId === null
          ? (prepare('SELECT * FROM signing_keys ORDER BY valid_from, kid').all() as Row[])
          : (prepare('SELECT * FROM signing_keys WHERE org_id = ? ORDER BY valid_from, kid').all(orgId) as Row[])
        ).map(toSigningKey),
      ),
    update: (kid, patch) =>
      write(() => {
        if (patch.validTo !== undefined) prepare('UPDATE signing_keys SET valid_to = ? WHERE kid = ?').run(patch.validTo, kid);
        if (patch.revokedAt !== undefined) prepare('UPDATE signing_keys SET revoked_at = ? WHERE kid = ?').run(patch.revokedAt, kid);
      }),
    rewrap: (kid, from, to) =>
      write(() => prepare('UPDATE signing_keys SET encrypted_private_key = ? WHERE kid = ? AND encrypted_private_key = ?').run(to, kid, from).changes === 1),
  };
}
