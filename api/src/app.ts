import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { type Express, type Request, type RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { ApiRouter } from './core/api-router.js';
import type { Actor } from './core/auth.js';
import type { Config } from './core/config.js';
import { AppError, TooManyRequestsError, problemType } from './core/errors.js';
import { createLogger, type Logger } from './core/logger.js';
import { buildOpenApi } from './core/openapi.js';
import { notFoundHandler, problemHandler } from './core/problem-middleware.js';
import { authRoutes } from './modules/auth/routes.js';
import { loginAccount } from './modules/auth/schema.js';
import { AuthService } from './modules/auth/service.js';
import { batchRoutes } from './modules/batches/routes.js';
import { BatchService } from './modules/batches/lifecycle-service.js';
import { CustodyService } from './modules/batches/custody-service.js';
import { TransformationService } from './modules/batches/transformation-service.js';
import { organizationRoutes } from './modules/organizations/routes.js';
import { OrganizationService } from './modules/organizations/service.js';
import { OrganizationLogoService } from './modules/organizations/logo-service.js';
import { epcisRoutes } from './modules/epcis/routes.js';
import { CaptureService } from './modules/epcis/capture-service.js';
import { EpcisService } from './modules/epcis/service.js';
import { exportRoutes } from './modules/exports/routes.js';
import { ExportService } from './modules/exports/service.js';
import { mediaRoutes } from './modules/media/routes.js';
import { MediaService } from './modules/media/service.js';
import { plotRoutes } from './modules/plots/routes.js';
import { qrRoutes } from './modules/qr/routes.js';
import { QrService } from './modules/qr/service.js';
import { resolverRouter } from './modules/resolver/routes.js';
import { ResolverService } from './modules/resolver/service.js';
import { ShareImages } from './modules/resolver/share-images.js';
import { productRoutes } from './modules/products/routes.js';
import { ProductService } from './modules/products/service.js';
import { provenanceRoutes } from './modules/provenance/routes.js';
import { ProvenanceService } from './modules/provenance/service.js';
import { scanRoutes } from './modules/scans/routes.js';
import { landingRouter } from './modules/landing/routes.js';
import { LandingService, type DemoLotKey } from './modules/landing/service.js';
import { logRoutes } from './modules/log/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { AuditService } from './modules/audit/service.js';
import { ScanService } from './modules/scans/service.js';
import { PlotService } from './modules/plots/service.js';
import { FilesystemBlobStore } from './media/blob-store.js';
import { EventRecorder } from './provenance/event-recorder.js';
import { TransparencyLog } from './log/transparency-log.js';
import { KeyRing } from './keys/key-ring.js';
import { KeyWrap } from './keys/key-wrap.js';
import type { Store } from './store/port.js';
import { browserAssets } from '../../web/browser-assets.js';
import { consoleRouter } from '../../web/console/console-routes.js';
import { DOC_PAGES, docsRouter } from '../../web/docs-routes.js';
import { landingPage } from '../../web/landing/landing-page.js';
import { originPages } from '../../web/origin-page/origin-pages.js';

export interface Services {
  log: TransparencyLog;
  auth: AuthService;
  organizations: OrganizationService;
  logos: OrganizationLogoService;
  qr: QrService;
  plots: PlotService;
  batches: BatchService;
  /** Steps on lots and custody moving with the goods. */
  custody: CustodyService;
  /** Merges and splits. */
  transformations: TransformationService;
  provenance: ProvenanceService;
  epcis: EpcisService;
  /** EPCIS capture jobs run in the background: see `finishBackgroundWork`. */
  capture: CaptureService;
  media: MediaService;
  products: ProductService;
  exports: ExportService;
  resolver: ResolverService;
  /** Buffers scan counts in memory: see `finishBackgroundWork`, or the last few seconds of scans are lost. */
  scans: ScanService;
  audit: AuditService;
}

/**
 * Finishes the services' writes still in memory: accepted capture jobs, then buffered scan counts.
 * Call it before the store closes (the server on shutdown, the tests, the bench).
 */
export async function finishBackgroundWork(services: Services): Promise<void> {
  await services.capture.close();
  await services.scans.close();
}

export function buildServices(config: Config, store: Store, logger: Logger = createLogger(config.logLevel)): Services {
  const keyWrap = KeyWrap.fromSecrets(config.secrets);
  const keys = new KeyRing(keyWrap);
  const log = new TransparencyLog(store, keyWrap, config.log.origin);
  const recorder = new EventRecorder(keys, log);
  const batches = new BatchService(store, recorder);
  const plots = new PlotService(store, recorder);
  const blobs = new FilesystemBlobStore(path.join(config.dataDir, 'blobs'));
  const organizations = new OrganizationService(store, keys);
  const logos = new OrganizationLogoService(store, blobs, organizations, config.media.maxPixels);
  const provenance = new ProvenanceService(store, keys, batches, log, config.publicBaseUrl);
  return {
    log,
    auth: new AuthService(store, { jwtSecret: config.secrets.JWT_SECRET, tokenTtlSeconds: config.tokenTtlSeconds }),
    organizations,
    logos,
    qr: new QrService(store, batches, logos, config.publicBaseUrl),
    plots,
    batches,
    custody: new CustodyService(store, recorder, batches),
    transformations: new TransformationService(store, recorder, batches),
    media: new MediaService(store, blobs, recorder, plots, batches, config.media),
    products: new ProductService(store),
    exports: new ExportService(store, config.publicBaseUrl, config.eudrMaxFileBytes),
    resolver: new ResolverService(store, provenance, config.publicBaseUrl),
    provenance,
    epcis: new EpcisService(provenance, store),
    capture: new CaptureService(store, recorder, config.epcisCapture, logger),
    scans: new ScanService(store, batches, logger),
    audit: new AuditService(store),
  };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Requests per caller per window, answered with a 429 problem and Retry-After past the limit. The
 * caller is the API key or the user of an authenticated request (so one office behind one address
 * is not one bucket, and each machine client has its own), else the client IP; `keyOf` names
 * another key (the login's account). `failuresOnly` counts only requests answered 4xx or 5xx.
 */
function rateLimiter(
  limit: { max: number; windowSeconds: number },
  options: { keyOf?: (req: Request) => string; failuresOnly?: boolean } = {},
): RequestHandler {
  return rateLimit({
    windowMs: limit.windowSeconds * 1000,
    limit: limit.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: options.failuresOnly ?? false,
    keyGenerator:
      options.keyOf ??
      ((req, res) => {
        const actor = res.locals.actor as Actor | null | undefined;
        if (actor?.apiKeyId) return `key:${actor.apiKeyId}`;
        if (actor?.userId) return `user:${actor.userId}`;
        return `ip:${ipKeyGenerator(req.ip ?? '')}`;
      }),
    handler: (req, _res, next) => {
      const reset = (req as typeof req & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime() ?? Date.now() + limit.windowSeconds * 1000;
      next(new TooManyRequestsError(Math.max(1, Math.ceil((reset - Date.now()) / 1000))));
    },
  });
}

const OPENAPI_PATH = '/api/v1/openapi.json';

/**
 * Builds the Express app from its dependencies; tests use it without listening. Pass `services`
 * to keep a handle on them (to close the scan counter on shutdown); otherwise they are built here.
 * `demoLots` are the lots the demo seed publishes, listed on the landing page when the demo seed
 * is on (the composition root loads them from seeds/ only then).
 */
export function buildApp(deps: { config: Config; store: Store; logger: Logger; services?: Services; demoLots?: readonly DemoLotKey[] }): Express {
  const { config, store, logger } = deps;
  const services = deps.services ?? buildServices(config, store, logger);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  // Helmet's defaults, but `upgrade-insecure-requests` only when the service is published over
  // https: on a plain-http address (a phone on the cooperative's LAN) it made browsers fetch the
  // page's own scripts over https, which is not there.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.publicBaseUrl.startsWith('https:') ? [] : null } } }));
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await store.ping();
    } catch {
      throw new AppError({ status: 503, type: problemType('not-ready'), code: 'not-ready', title: 'Not ready', detail: 'The database does not answer.' });
    }
    res.json({ status: 'ok', database: store.kind });
  });

  const api = new ApiRouter((bearer) => services.auth.authenticate(bearer), store.idempotency, {
    uploadRateLimiter: rateLimiter(config.rateLimits.upload),
    bodyTimeoutMs: config.bodyTimeoutSeconds * 1000,
  });
  authRoutes(api, services.auth, {
    perClient: rateLimiter(config.rateLimits.login),
    perAccount: rateLimiter(config.rateLimits.loginAccountFailures, { keyOf: (req) => loginAccount(req.body), failuresOnly: true }),
  });
  organizationRoutes(api, services.organizations, services.logos, config.media);
  plotRoutes(api, services.plots);
  batchRoutes(api, services.batches, services.custody, services.transformations, config.publicBaseUrl);
  provenanceRoutes(api, services.provenance, rateLimiter(config.rateLimits.verify));
  epcisRoutes(api, services.epcis, services.capture);
  mediaRoutes(api, services.media, config.publicBaseUrl);
  productRoutes(api, services.products, config.publicBaseUrl);
  exportRoutes(api, services.exports, services.batches);
  qrRoutes(api, services.qr, rateLimiter(config.rateLimits.qr));
  scanRoutes(api, services.scans);
  logRoutes(api, services.log);
  auditRoutes(api, services.audit);
  // The resolver first: a scan is the hottest request, and its routes never match /api/… paths,
  // so scans skip testing every API route.
  const shareImages = new ShareImages((sha256) => services.media.rendition(sha256));
  app.use(resolverRouter(services.resolver, services.scans, originPages, rateLimiter(config.rateLimits.resolver), shareImages));
  app.use(api.router);

  app.get('/assets/:file', async (req, res, next) => {
    const asset = (await browserAssets()).get(req.params.file);
    if (!asset) return next();
    // Entry names are stable, so revalidate them; chunk names carry a content hash.
    res.setHeader('Cache-Control', req.params.file.startsWith('chunk-') ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.acceptsEncodings('gzip') === 'gzip') {
      res.setHeader('Content-Encoding', 'gzip');
      res.type(asset.contentType).send(asset.gzip);
    } else {
      res.type(asset.contentType).send(Buffer.from(asset.contents));
    }
  });

  app.use(consoleRouter());
  app.use(docsRouter());
  const landing = new LandingService(store, config.demoSeed ? (deps.demoLots ?? []) : []);
  app.use(
    landingRouter(landing, landingPage, {
      publicBaseUrl: config.publicBaseUrl,
      consolePath: '/console',
      officePath: '/console#/coop',
      openApiPath: OPENAPI_PATH,
      docs: DOC_PAGES,
    }),
  );

  const openapi = buildOpenApi([api], { title: 'Farm trace API', version: '1', serverUrl: config.publicBaseUrl });
  app.get(OPENAPI_PATH, (_req, res) => {
    res.json(openapi);
  });

  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
