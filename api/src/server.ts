import type { Server } from 'node:http';
import { buildApp, buildServices, finishBackgroundWork } from './app.js';
import { loadConfigOrExit } from './core/config.js';
import { createLogger } from './core/logger.js';
import { formatStartBanner } from './core/start-banner.js';
import { lotDigitalLink } from './domain/gs1/digital-link.js';
import { answerClientErrorsAsProblems } from './core/problem-middleware.js';
import { openStore, openStoreFilledIfEmpty } from './store/open-store.js';
import type { Store } from './store/port.js';
import { browserAssets } from '../../web/browser-assets.js';

/** Process entry: read config, open the store, seed an empty demo database, listen, shut down gracefully. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const started = Date.now();
  // Loaded only when the demo seed is on: production (where it is always off) never loads the demo data and its passwords.
  const demo = config.demoSeed ? await import('../../seeds/demo.js') : null;
  const seed = async (empty: Store) => {
    const seeder = buildServices(config, empty, logger);
    await demo!.seedDemo(seeder);
    await finishBackgroundWork(seeder);
  };
  const { store, filled } = demo ? await openStoreFilledIfEmpty(config.database, seed) : { store: await openStore(config.database), filled: false };
  if (filled) logger.info({ ms: Date.now() - started }, 'demo data loaded (DEMO_SEED=0 turns this off)');
  const services = buildServices(config, store, logger);
  // Events recorded before the transparency log existed join it once, in their append order.
  const backfilled = await services.log.backfill();
  if (backfilled) logger.info({ events: backfilled }, 'earlier events appended to the transparency log');
  const interrupted = await services.capture.failInterrupted();
  if (interrupted) logger.warn({ jobs: interrupted }, 'capture jobs interrupted by the last stop were marked failed; nothing of them was written');
  const checkpoints =
    config.log.checkpointIntervalSeconds > 0
      ? setInterval(() => void services.log.checkpoint().catch((error: unknown) => logger.error({ err: error }, 'issuing a log checkpoint failed')), config.log.checkpointIntervalSeconds * 1000)
      : null;
  checkpoints?.unref();
  // Read before listening, so a server started without `npm run build` says so at once.
  await browserAssets();
  const app = buildApp({ config, store, logger, services, demoLots: demo?.DEMO_PUBLISHED_LOTS });
  const server: Server = app.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port, database: store.kind, env: config.env }, `listening on http://localhost:${port}`);
    if (demo) {
      // For the person who typed `npm start`: where to go and how to log in. Written once, as plain
      // text on stdout, because the logger writes JSON lines for machines (the same stream, so the
      // banner sits right after the "listening" line). Only with the demo data, which is never on
      // in production; a production start prints log lines only.
      const lot = demo.DEMO_PUBLISHED_LOTS[0];
      const demoLotUrl = lot ? lotDigitalLink(config.publicBaseUrl, { ...lot, code: '' }) : null;
      process.stdout.write(formatStartBanner({ baseUrl: config.publicBaseUrl, demoLotUrl, accounts: demo.DEMO_ACCOUNTS }));
    }
  });
  // Generous enough for a 15 MB photo over a slow 3G link; headers must still arrive quickly.
  server.requestTimeout = 300_000;
  server.headersTimeout = 15_000;
  answerClientErrorsAsProblems(server);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (checkpoints) clearInterval(checkpoints);
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish in 10 s; closing anyway');
      server.closeAllConnections();
    }, 10_000);
    force.unref();
    server.close(() => {
      // Accepted capture jobs and buffered scan counts are written before the store closes under them.
      finishBackgroundWork(services)
        .catch((error: unknown) => logger.error({ err: error }, 'writing the last capture jobs or scan counts failed'))
        .then(() => store.close())
        .catch((error: unknown) => logger.error({ err: error }, 'closing the store failed'))
        .finally(() => {
          logger.info('stopped');
          logger.flush();
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
