import { requireRole, hashPassword, type Actor } from '../../core/auth.js';
import { recordAudit } from '../../audit/record-audit.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId, nowIso } from '../../core/ids.js';
import type { KeyRing } from '../../keys/key-ring.js';
import type { OrganizationRecord, Page, PageRequest, Store, UserRecord } from '../../store/port.js';
import type { OrganizationBootstrap, OrganizationCreate, UserCreate } from './schema.js';
import { PIN_PROBLEM_TEXT, pinProblem } from '../../domain/phone-login.js';
import type { Role } from '../../domain/vocabulary.js';

/** A user as the API shows it: never a password's or a PIN's hash. */
export type PublicUser = Omit<UserRecord, 'passwordHash' | 'pinHash'>;

export const publicUser = ({ passwordHash: _password, pinHash: _pin, ...user }: UserRecord): PublicUser => user;

/** Organizations, their membership (farm households under a cooperative) and their users. */
export class OrganizationService {
  constructor(
    private readonly store: Store,
    private readonly keys: KeyRing,
  ) {}

  /** Creates an organization and optionally its first user (an admin unless told), with no actor: for the admin CLI and the seed. */
  async bootstrap(
    input: OrganizationBootstrap,
    firstUser?: { email: string; name: string; password: string; role?: Role },
  ): Promise<{ organization: OrganizationRecord; user: PublicUser | null }> {
    if (input.parentId) {
      const parent = await this.store.organizations.findById(input.parentId);
      if (!parent) throw ValidationError.field('parentId', 'no-such-organization', 'no such organization');
      if (input.type !== 'farm_household' || parent.type !== 'cooperative') {
        throw ValidationError.field('parentId', 'member-of-cooperative-only', 'only a farm household can be a member, and only of a cooperative');
      }
    }
    const passwordHash = firstUser ? await hashPassword(firstUser.password) : null;
    await this.requireGlnFree(input.gln);
    return this.store.transaction(async (tx) => {
      const organization = toRecord(input, input.parentId ?? null);
      await tx.organizations.insert(organization);
      await this.keys.createKey(tx, organization.id, organization.createdAt);
      let user: UserRecord | null = null;
      if (firstUser && passwordHash) {
        user = {
          id: newId(),
          orgId: organization.id,
          email: firstUser.email.toLowerCase(),
          phone: null,
          name: firstUser.name,
          role: firstUser.role ?? 'admin',
          passwordHash,
          pinHash: null,
          createdAt: nowIso(),
        };
        await tx.users.insert(user);
      }
      // Bootstrapping is the operator's command line (`npm run admin -- create-org`, the seed): no actor.
      await recordAudit(tx, {
        actor: null,
        orgId: organization.id,
        action: 'organization.created',
        targetId: organization.id,
        details: { type: organization.type, slug: organization.slug, name: organization.name, firstAdmin: user?.email ?? null },
      });
      return { organization, user: user ? publicUser(user) : null };
    });
  }

  /** A cooperative admin registers a member farm household. */
  async createMember(actor: Actor, input: OrganizationCreate): Promise<OrganizationRecord> {
    requireRole(actor, ['admin'], 'create organizations');
    const own = await this.requireOrg(actor.orgId);
    if (own.type !== 'cooperative') throw new ForbiddenError('not-a-cooperative', 'Only a cooperative registers member farm households.');
    await this.requireGlnFree(input.gln);
    const organization = toRecord(input, own.id);
    await this.store.transaction(async (tx) => {
      await tx.organizations.insert(organization);
      await this.keys.createKey(tx, organization.id, organization.createdAt);
      await recordAudit(tx, { actor, action: 'organization.created', targetId: organization.id, details: { type: organization.type, slug: organization.slug, name: organization.name } });
    });
    return organization;
  }

  /** An organization in the actor's scope, or the actor's own cooperative; 404 otherwise. */
  async get(actor: Actor, id: string): Promise<OrganizationRecord> {
    const org = await this.store.organizations.findById(id);
    if (!org) throw new NotFoundError('Organization');
    if (actor.scopeOrgIds.includes(org.id)) return org;
    const own = await this.requireOrg(actor.orgId);
    if (own.parentId === org.id) return org;
    throw new NotFoundError('Organization');
  }

  list(actor: Actor, page: PageRequest): Promise<Page<OrganizationRecord>> {
    return this.store.organizations.list(actor.scopeOrgIds, page);
  }

  async createUser(actor: Actor, input: UserCreate): Promise<PublicUser> {
    requireRole(actor, ['admin'], 'create users');
    const orgId = input.orgId ?? actor.orgId;
    if (!actor.scopeOrgIds.includes(orgId)) throw ValidationError.field('orgId', 'not-your-organization', 'not your organization or one of its member households');
    const org = await this.requireOrg(orgId);
    if (input.role === 'inspector' && org.type !== 'certification_body') {
      throw ValidationError.field('role', 'role-for-certification-bodies', 'the inspector role belongs to certification bodies');
    }
    if (input.role === 'farmer' && org.type !== 'farm_household') {
      throw ValidationError.field('role', 'role-for-farm-households', 'the farmer role belongs to farm households');
    }
    // A taken email or phone is the store's to refuse (UNIQUE_RULES): a 409 naming the field.
    const user: UserRecord = {
      id: newId(),
      orgId,
      email: input.email ?? null,
      phone: input.phone ?? null,
      name: input.name,
      role: input.role,
      passwordHash: input.password === undefined ? null : await hashPassword(input.password),
      pinHash: input.pin === undefined ? null : await hashPassword(input.pin),
      createdAt: nowIso(),
    };
    await this.store.transaction(async (tx) => {
      await tx.users.insert(user);
      await recordAudit(tx, { actor, action: 'user.created', targetId: user.id, details: { orgId, email: user.email, phone: user.phone, role: user.role } });
    });
    return publicUser(user);
  }

  /**
   * An admin sets a new PIN for a farmer of the cooperative or its households (the old one stops
   * working at once). The PIN is hashed like a password and goes nowhere else: not in the answer,
   * not in the audit entry, which records who reset whose PIN.
   */
  async resetPin(actor: Actor, id: string, pin: string): Promise<PublicUser> {
    requireRole(actor, ['admin'], 'reset PINs');
    const user = await this.store.users.findById(id);
    if (!user || !actor.scopeOrgIds.includes(user.orgId)) throw new NotFoundError('User');
    if (!user.phone) throw new ConflictError('this user logs in with an email, not a phone; a PIN belongs to a phone login', 'pin', 'no-phone-login');
    const problem = pinProblem(pin, user.phone);
    if (problem) throw ValidationError.field('pin', `pin-${problem}`, PIN_PROBLEM_TEXT[problem]);
    const pinHash = await hashPassword(pin);
    await this.store.transaction(async (tx) => {
      await tx.users.setPinHash(user.id, pinHash);
      await recordAudit(tx, { actor, action: 'user.pin_reset', targetId: user.id, details: { orgId: user.orgId, phone: user.phone } });
    });
    return publicUser(user);
  }

  async getUser(actor: Actor, id: string): Promise<PublicUser> {
    requireRole(actor, ['admin'], 'read users');
    const user = await this.store.users.findById(id);
    if (!user || !actor.scopeOrgIds.includes(user.orgId)) throw new NotFoundError('User');
    return publicUser(user);
  }

  async listUsers(actor: Actor, page: PageRequest): Promise<Page<PublicUser>> {
    requireRole(actor, ['admin'], 'list users');
    const result = await this.store.users.list(actor.scopeOrgIds, page);
    return { items: result.items.map(publicUser), next: result.next };
  }

  /** One GLN names one location: a plot's GLN is not given to an organization (organizations' own uniqueness is the store's). */
  private async requireGlnFree(gln: string | undefined): Promise<void> {
    if (gln && (await this.store.plots.findByGln(gln))) throw new ConflictError('a plot already has this GLN', 'gln');
  }

  private async requireOrg(id: string): Promise<OrganizationRecord> {
    const org = await this.store.organizations.findById(id);
    if (!org) throw new NotFoundError('Organization');
    return org;
  }
}

function toRecord(input: OrganizationCreate | OrganizationBootstrap, parentId: string | null): OrganizationRecord {
  return {
    id: newId(),
    slug: input.slug,
    type: input.type,
    name: input.name,
    address: { province: input.address.province, commune: input.address.commune ?? null, street: input.address.street ?? null },
    gln: input.gln ?? null,
    pucCode: input.pucCode ?? null,
    packingHouseCode: input.packingHouseCode ?? null,
    parentId,
    logoSha256: null,
    createdAt: nowIso(),
  };
}
