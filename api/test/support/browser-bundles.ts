import { ensureBrowserBundles } from '../../../web/browser-bundles.js';

/**
 * Mocha global setup (.mocharc.json `require`): the app serves the browser bundles from web/dist,
 * so they are built once before any test, and only when their sources changed since the last build.
 */
export async function mochaGlobalSetup(): Promise<void> {
  await ensureBrowserBundles();
}
