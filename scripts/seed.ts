/** `npm run seed`: loads the demo data into the database named by DATABASE_URL, which must be empty. */
import { buildServices } from '../api/src/app.js';
import { loadConfigOrExit } from '../api/src/core/config.js';
import { lotDigitalLink } from '../api/src/domain/gs1/digital-link.js';
import { openStore } from '../api/src/store/open-store.js';
import { DEMO_ACCOUNTS, seedDemo } from '../seeds/demo.js';

const config = loadConfigOrExit();
if (config.env === 'production') {
  console.error('Refusing to load demo data (with its well-known passwords) when NODE_ENV=production.');
  process.exit(1);
}
const store = await openStore(config.database);
try {
  if (!(await store.isEmpty())) {
    console.error(`The database (${process.env.DATABASE_URL ?? 'sqlite:./data/trace.db'}) already has data; seed only an empty one.`);
    process.exitCode = 1;
  } else {
    const summary = await seedDemo(buildServices(config, store));
    console.log('Demo data loaded. Accounts:');
    for (const account of DEMO_ACCOUNTS) console.log(`  ${account.email ?? account.phone} / ${account.password ?? `PIN ${account.pin}`}: ${account.who}`);
    for (const lot of summary.published) {
      console.log(`  published: ${lot.product} — ${lotDigitalLink(config.publicBaseUrl, { gtin: lot.gtin, lotNumber: lot.lotNumber, code: '' })}`);
    }
  }
} finally {
  await store.close();
}
