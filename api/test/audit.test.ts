import Database from 'better-sqlite3';
import path from 'node:path';
import { expect } from 'chai';
import sharp from 'sharp';
import request from 'supertest';
import { startHarness, type Harness } from './support/harness.js';

interface AuditEntry {
  orgId: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  action: string;
  targetId: string;
  details: Record<string, unknown>;
  at: string;
}

describe('the audit trail of administrative actions', function () {
  this.timeout(60_000);
  let h: Harness;
  let coop: string;
  let coopOrgId: string;
  let coopUserId: string;

  before(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
    const claims = JSON.parse(Buffer.from(coop.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string; org: string };
    coopUserId = claims.sub;
    coopOrgId = claims.org;
  });

  after(() => h?.close());

  const audit = async (auth: string): Promise<AuditEntry[]> => (await request(h.app).get('/api/v1/audit?limit=500').set('Authorization', auth).expect(200)).body.items;

  it('when an admin changes members, users, API keys, signing keys and the logo, then each action is in the trail with its actor, newest first, and no secret', async () => {
    const api = (method: 'post' | 'put' | 'delete', url: string) => request(h.app)[method](url).set('Authorization', coop);
    const member = await api('post', '/api/v1/organizations').send({ slug: 'ho-audit', name: 'Hộ kiểm tra', address: { province: 'Đắk Lắk' } }).expect(201);
    const password = 'a-secret-password-of-the-farmer';
    const user = await api('post', '/api/v1/users').send({ email: 'audit-farmer@demo.test', name: 'Nông dân', password, role: 'farmer', orgId: member.body.id }).expect(201);
    const key = await api('post', '/api/v1/api-keys').send({ name: 'ERP' }).expect(201);
    await api('delete', `/api/v1/api-keys/${key.body.id as string}`).expect(200);
    const rotated = await api('post', '/api/v1/keys/rotate').send({}).expect(201);
    await api('post', `/api/v1/keys/${rotated.body.kid as string}/revoke`).send({}).expect(200);
    const logo = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#2f6b2f' } }).png().toBuffer();
    await api('put', `/api/v1/organizations/${coopOrgId}/logo`).attach('file', logo, 'logo.png').expect(200);
    await api('delete', `/api/v1/organizations/${coopOrgId}/logo`).expect(204);

    // The demo seed registered its households and users through the same services: older entries.
    const entries = (await audit(coop)).slice(0, 8);
    expect(entries.map((e) => [e.action, e.targetId])).to.deep.equal([
      ['organization.logo_removed', coopOrgId],
      ['organization.logo_changed', coopOrgId],
      ['signing_key.revoked', rotated.body.kid],
      ['signing_key.rotated', rotated.body.kid],
      ['api_key.revoked', key.body.id],
      ['api_key.created', key.body.id],
      ['user.created', user.body.id],
      ['organization.created', member.body.id],
    ]);
    expect(entries.every((e) => e.orgId === coopOrgId && e.actorUserId === coopUserId && e.actorApiKeyId === null)).to.equal(true);
    expect(entries.find((e) => e.action === 'user.created')!.details).to.deep.equal({ orgId: member.body.id, email: 'audit-farmer@demo.test', phone: null, role: 'farmer' });
    const text = JSON.stringify(entries);
    expect(text).not.to.include(password);
    expect(text).not.to.include(key.body.token);
  });

  it('when an API key acts, then the entry names the key; when a non-admin or another cooperative asks, then it gets 403 or only its own trail', async () => {
    const created = await request(h.app).post('/api/v1/api-keys').set('Authorization', coop).send({ name: 'admin bot', role: 'admin' }).expect(201);
    const bot = `Bearer ${created.body.token as string}`;
    await request(h.app).post('/api/v1/keys/rotate').set('Authorization', bot).send({}).expect(201);
    const [latest] = await audit(coop);
    expect(latest).to.include({ action: 'signing_key.rotated', actorUserId: null, actorApiKeyId: created.body.id });

    const farmer = await h.login('farmer@demo.test');
    const refused = await request(h.app).get('/api/v1/audit').set('Authorization', farmer).expect(403);
    expect(refused.headers['content-type']).to.match(/application\/problem\+json/);
    const other = await audit(await h.login('other-coop@demo.test'));
    expect(other.filter((e) => e.orgId === coopOrgId)).to.deep.equal([]);
  });

  it('when anyone tries to change or delete an audit entry in the database, then SQLite refuses', () => {
    const db = new Database(path.join(h.dir, 'trace.db'));
    try {
      expect(() => db.prepare("UPDATE audit_log SET action = 'user.created'").run()).to.throw(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_log').run()).to.throw(/append-only/);
    } finally {
      db.close();
    }
  });
});
