import { expect } from 'chai';
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * The store throws its own UniquenessViolation; API clients must still get the conflict problem
 * the store used to throw itself, byte for byte.
 */
describe('a write the store refuses as not unique, through the API', () => {
  let h: Harness;
  let coop: string;
  before(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
  });
  after(() => h.close());

  it('when a new organization takes a used slug, then 409 with exactly the conflict problem naming slug, and nothing is created', async () => {
    const detail = 'an organization with this slug already exists';
    const send = (name: string) =>
      request(h.app).post('/api/v1/organizations').set('Authorization', coop).send({ slug: 'ho-trung-slug', name, address: { province: 'Đắk Lắk' } });
    await send('Hộ thứ nhất').expect(201);
    const res = await send('Hộ thứ hai').expect(409);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.text).to.equal(
      JSON.stringify({ type: '/problems/conflict', title: 'Conflict', status: 409, detail, code: 'conflict', errors: [{ path: 'slug', code: 'duplicate', message: detail }], instance: '/api/v1/organizations' }),
    );
    const orgs = (await request(h.app).get('/api/v1/organizations?limit=100').set('Authorization', coop).expect(200)).body.items as Array<{ name: string }>;
    expect(orgs.map((o) => o.name)).to.include('Hộ thứ nhất').and.not.include('Hộ thứ hai');
  });
});
