/**
 * `npm run admin -- <command>`: administration straight on the database named by DATABASE_URL.
 *
 *   create-org --type cooperative --slug krong-nang --name "HTX …" --province "Đắk Lắk"
 *              [--commune …] [--street …] [--gln …] [--puc-code …] [--packing-house-code …]
 *              --admin-email admin@example.vn --admin-name "…"
 *     Bootstraps an organization and its first admin. The admin's password is read from
 *     ADMIN_PASSWORD, or generated and printed once.
 *
 *   rewrap-keys
 *     Re-wraps every private signing key under KEY_ENCRYPTION_KEY (the last step of rotating it,
 *     with the old one in KEY_ENCRYPTION_KEY_PREVIOUS); safe while the server runs, and to repeat.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { buildServices } from '../api/src/app.js';
import { loadConfigOrExit } from '../api/src/core/config.js';
import { AppError, fromStorageError } from '../api/src/core/errors.js';
import { parseOrThrow } from '../api/src/core/validation.js';
import { OrganizationBootstrap, Password, UserFields } from '../api/src/modules/organizations/schema.js';
import { rewrapAllKeys } from '../api/src/keys/rewrap-keys.js';
import { KeyWrap } from '../api/src/keys/key-wrap.js';
import { openStore } from '../api/src/store/open-store.js';

const USAGE = `usage:
  npm run admin -- create-org --type <cooperative|farm_household|processor|trader|certification_body> --slug <slug> --name <name>
                  --province <province> [--commune <c>] [--street <s>] [--gln <gln>] [--puc-code <code>] [--packing-house-code <code>]
                  --admin-email <email> --admin-name <name>      (password from ADMIN_PASSWORD, or generated)
  npm run admin -- rewrap-keys                       (re-wrap every signing key under KEY_ENCRYPTION_KEY)`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    type: { type: 'string' },
    slug: { type: 'string' },
    name: { type: 'string' },
    province: { type: 'string' },
    commune: { type: 'string' },
    street: { type: 'string' },
    gln: { type: 'string' },
    'puc-code': { type: 'string' },
    'packing-house-code': { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-name': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const command = positionals[0];
if (values.help || (command !== 'create-org' && command !== 'rewrap-keys')) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

const config = loadConfigOrExit();
const store = await openStore(config.database);
try {
  if (command === 'rewrap-keys') await rewrapKeys();
  else await createOrg();
} catch (thrown) {
  const error = fromStorageError(thrown);
  if (error instanceof AppError) {
    console.error(`error: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await store.close();
}

async function rewrapKeys(): Promise<void> {
  let result: Awaited<ReturnType<typeof rewrapAllKeys>>;
  try {
    result = await rewrapAllKeys(store, KeyWrap.fromSecrets(config.secrets));
  } catch (error) {
    // A key neither secret unwraps: the message names the key and the variables to check.
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  const { rewrapped, alreadyCurrent } = result;
  console.log(`re-wrapped ${rewrapped} signing key(s) under KEY_ENCRYPTION_KEY; ${alreadyCurrent} already were`);
  if (config.secrets.KEY_ENCRYPTION_KEY_PREVIOUS) console.log('every key is now wrapped under KEY_ENCRYPTION_KEY: KEY_ENCRYPTION_KEY_PREVIOUS can be removed at the next restart');
}

async function createOrg(): Promise<void> {
  const org = parseOrThrow(OrganizationBootstrap, {
    type: values.type,
    slug: values.slug,
    name: values.name,
    address: { province: values.province, commune: values.commune, street: values.street },
    gln: values.gln,
    pucCode: values['puc-code'],
    packingHouseCode: values['packing-house-code'],
  });
  const generated = !process.env.ADMIN_PASSWORD;
  const password = process.env.ADMIN_PASSWORD ?? randomBytes(18).toString('base64url');
  const admin = parseOrThrow(UserFields.pick({ email: true, name: true }).required(), { email: values['admin-email'], name: values['admin-name'] }, 'admin');
  parseOrThrow(Password, password, 'ADMIN_PASSWORD');
  const { organization, user } = await buildServices(config, store).organizations.bootstrap(org, { ...admin, password });
  console.log(`created ${organization.type} ${organization.slug} (${organization.id}) with admin ${user?.email}`);
  if (generated) console.log(`admin password (shown once): ${password}`);
}

