/**
 * The layering of the code base, checked by `npm test` (api/test/layering.test.ts) and `npm run lint`.
 * docs/architecture.md explains each layer and why the arrows point the way they do; a rule that
 * blocks a change means the code belongs somewhere else, not that the rule needs an exception.
 */
const SOURCE = '^(api/src|web|scripts|seeds|bench)/';
/** Layers below the feature modules: they serve every feature and know none. */
const BELOW_MODULES = '^api/src/(domain|store|core|keys|audit|log|verifier|epcis|provenance|qr|media|exports|backup)/';
/** What the buyer's and the farmer's browsers may run: pure rules and the one verifier. */
const BROWSER_SAFE = '^api/src/(domain|verifier)/';
/** Code that runs in the browser: the console bundle (not its Express routes) and the origin page's scripts. */
const BROWSER_CODE = '^web/(console/(?!console-routes\\.ts$)|origin-page/recheck\\.ts$)';

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Two folders that import each other are one tangled layer: move the shared piece down to where both can use it.',
      severity: 'error',
      scope: 'folder',
      from: { path: SOURCE },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      comment: 'Modules that import each other cannot be read, tested or loaded on their own.',
      severity: 'error',
      from: { path: SOURCE },
      to: { circular: true },
    },
    {
      name: 'domain-imports-only-domain',
      comment: 'domain/ holds the pure rules (GS1, events, geometry, vocabularies) that the server, the verifier and the browser share.',
      severity: 'error',
      from: { path: '^api/src/domain/' },
      to: { path: SOURCE, pathNot: '^api/src/domain/' },
    },
    {
      name: 'domain-does-no-io',
      comment: 'domain/ runs in the browser too: no Node built-ins.',
      severity: 'error',
      from: { path: '^api/src/domain/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'store-knows-no-http',
      comment: 'The storage port and its adapters import only domain/ and store/: they throw storage errors, core/ maps them to HTTP.',
      severity: 'error',
      from: { path: '^api/src/store/' },
      to: { path: SOURCE, pathNot: '^api/src/(domain|store)/' },
    },
    {
      name: 'only-the-composition-root-picks-an-adapter',
      comment: 'Services talk to the storage port; which database sits behind it is decided in app.ts, server.ts, the CLIs and the tests.',
      severity: 'error',
      from: { path: '^api/src/', pathNot: '^api/src/(store/|backup/|app\\.ts$|server\\.ts$)' },
      to: { path: '^api/src/store/(sqlite|mongo)/' },
    },
    {
      name: 'core-imports-only-domain-and-store',
      comment: 'core/ (config, errors, auth, the API router) sits under every feature and every pipeline.',
      severity: 'error',
      from: { path: '^api/src/core/' },
      to: { path: SOURCE, pathNot: '^api/src/(domain|store|core)/' },
    },
    {
      name: 'lower-layers-never-import-feature-modules',
      comment: 'Pipelines and infrastructure serve the feature modules; a feature is reached only from the composition root or another feature.',
      severity: 'error',
      from: { path: BELOW_MODULES },
      to: { path: '^api/src/modules/' },
    },
    {
      name: 'api-never-imports-web',
      comment: 'Pages and browser bundles are wired in by the composition root (app.ts, server.ts); the resolver renders through an interface it declares.',
      severity: 'error',
      from: { path: '^api/src/', pathNot: '^api/src/(app|server)\\.ts$' },
      to: { path: '^web/' },
    },
    {
      name: 'browser-code-imports-only-the-browser-safe-surface',
      comment: 'The console and the origin page scripts run in the browser: from api/src they may import domain/ and the verifier, or types.',
      severity: 'error',
      from: { path: BROWSER_CODE },
      to: { path: '^api/src/', pathNot: BROWSER_SAFE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'verifier-is-browser-safe',
      comment: 'The one verifier runs in the CLI, the API and the buyer\'s browser: it imports only domain/ and the pure log proofs.',
      severity: 'error',
      from: { path: '^api/src/verifier/' },
      to: { path: SOURCE, pathNot: '^api/src/(domain|verifier)/|^api/src/log/(merkle|checkpoint)\\.ts$' },
    },
    {
      name: 'log-proofs-are-pure',
      comment: 'The Merkle proofs and checkpoint notes are shared with the browser verifier.',
      severity: 'error',
      from: { path: '^api/src/log/(merkle|checkpoint)\\.ts$' },
      to: { path: SOURCE, pathNot: '^api/src/domain/|^api/src/log/(merkle|checkpoint)\\.ts$' },
    },
    {
      name: 'origin-pages-render-without-the-server-internals',
      comment: 'Origin pages get their data from the resolver (types only) and never load the image pipeline (sharp) or the store.',
      severity: 'error',
      from: { path: '^web/origin-page/' },
      to: { path: '^api/src/(media/media-pipeline\\.ts$|modules/|store/)', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^api/test/|^web/dist/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
