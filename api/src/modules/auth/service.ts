import {
  DUMMY_PASSWORD_HASH,
  apiKeySecretMatches,
  issueToken,
  newApiKeySecret,
  parseApiKey,
  requireRole,
  verifyPassword,
  verifyToken,
  type Actor,
} from '../../core/auth.js';
import { recordAudit } from '../../audit/record-audit.js';
import { NotFoundError, UnauthorizedError } from '../../core/errors.js';
import { newId, nowIso } from '../../core/ids.js';
import type { ApiKeyRecord, Page, PageRequest, Store, UserRecord } from '../../store/port.js';
import type { ApiKeyCreate } from './schema.js';
import type { Role } from '../../domain/vocabulary.js';

export type PublicApiKey = Omit<ApiKeyRecord, 'secretHash' | 'createdBy'>;
const publicApiKey = ({ secretHash: _s, createdBy: _c, ...key }: ApiKeyRecord): PublicApiKey => key;

export interface LoginToken {
  token: string;
  expiresIn: number;
}

/** Login tokens, API keys, and turning either into an Actor with its organization scope. */
export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly options: { jwtSecret: string; tokenTtlSeconds: number },
  ) {}

  async login(email: string, password: string): Promise<LoginToken> {
    const user = await this.store.users.findByEmail(email.trim().toLowerCase());
    return this.tokenIfMatches(user, user?.passwordHash, password, 'wrong-credentials', 'Email or password is wrong.');
  }

  /** `phone` in its stored form (E.164). A PIN is checked exactly as a password is. */
  async loginWithPhone(phone: string, pin: string): Promise<LoginToken> {
    const user = await this.store.users.findByPhone(phone);
    return this.tokenIfMatches(user, user?.pinHash, pin, 'wrong-phone-or-pin', 'Phone number or PIN is wrong.');
  }

  /**
   * A token for `user` when `secret` matches its hash. An unknown account is compared against a
   * dummy hash, so the answer takes as long and says the same whether the account exists or not.
   */
  private async tokenIfMatches(user: UserRecord | null, hash: string | null | undefined, secret: string, code: 'wrong-credentials' | 'wrong-phone-or-pin', wrong: string): Promise<LoginToken> {
    const ok = await verifyPassword(secret, hash ?? DUMMY_PASSWORD_HASH);
    if (!user || !hash || !ok) throw new UnauthorizedError(code, wrong);
    const token = await issueToken({ userId: user.id, orgId: user.orgId, role: user.role }, this.options.jwtSecret, this.options.tokenTtlSeconds);
    return { token, expiresIn: this.options.tokenTtlSeconds };
  }

  /** Resolves a bearer credential (login token or API key) to the acting principal. */
  async authenticate(bearer: string): Promise<Actor> {
    const apiKey = parseApiKey(bearer);
    if (apiKey) {
      const record = await this.store.apiKeys.findById(apiKey.id);
      if (!record || record.revokedAt || !apiKeySecretMatches(apiKey.secret, record.secretHash)) {
        throw new UnauthorizedError('api-key-invalid', 'The API key is unknown or revoked.');
      }
      return this.actor(record.orgId, null, record.id, record.role);
    }
    const claims = await verifyToken(bearer, this.options.jwtSecret);
    const user = await this.store.users.findById(claims.userId);
    if (!user || user.orgId !== claims.orgId) throw new UnauthorizedError('token-invalid', 'The token’s user no longer exists.');
    return this.actor(user.orgId, user.id, null, user.role);
  }

  async createApiKey(actor: Actor, input: ApiKeyCreate): Promise<PublicApiKey & { token: string }> {
    requireRole(actor, ['admin'], 'create API keys');
    const id = newId();
    const { token, secretHash } = newApiKeySecret(id);
    const record: ApiKeyRecord = {
      id,
      orgId: actor.orgId,
      name: input.name,
      role: input.role,
      secretHash,
      createdBy: actor.userId ?? actor.apiKeyId ?? 'unknown',
      createdAt: nowIso(),
      revokedAt: null,
    };
    await this.store.transaction(async (tx) => {
      await tx.apiKeys.insert(record);
      await recordAudit(tx, { actor, action: 'api_key.created', targetId: id, details: { name: record.name, role: record.role } });
    });
    return { ...publicApiKey(record), token };
  }

  async listApiKeys(actor: Actor, page: PageRequest): Promise<Page<PublicApiKey>> {
    requireRole(actor, ['admin'], 'list API keys');
    const result = await this.store.apiKeys.list(actor.orgId, page);
    return { items: result.items.map(publicApiKey), next: result.next };
  }

  async getApiKey(actor: Actor, id: string): Promise<PublicApiKey> {
    requireRole(actor, ['admin'], 'read API keys');
    const record = await this.store.apiKeys.findById(id);
    if (!record || record.orgId !== actor.orgId) throw new NotFoundError('API key');
    return publicApiKey(record);
  }

  async revokeApiKey(actor: Actor, id: string): Promise<PublicApiKey> {
    requireRole(actor, ['admin'], 'revoke API keys');
    const record = await this.store.apiKeys.findById(id);
    if (!record || record.orgId !== actor.orgId) throw new NotFoundError('API key');
    const revokedAt = record.revokedAt ?? nowIso();
    if (!record.revokedAt) {
      await this.store.transaction(async (tx) => {
        await tx.apiKeys.revoke(id, revokedAt);
        await recordAudit(tx, { actor, action: 'api_key.revoked', targetId: id, details: { name: record.name } });
      });
    }
    return publicApiKey({ ...record, revokedAt });
  }

  private async actor(orgId: string, userId: string | null, apiKeyId: string | null, role: Role): Promise<Actor> {
    const actsForMembers = role === 'admin' || role === 'operator';
    const members = actsForMembers ? await this.store.organizations.memberIds(orgId) : [];
    return { orgId, userId, apiKeyId, role, scopeOrgIds: [orgId, ...members] };
  }
}
