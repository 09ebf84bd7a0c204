/**
 * `npm run build`: bundles the browser scripts into web/dist. With `--if-stale` (what `npm start`
 * runs first) it builds only when the bundles are missing or their sources changed.
 */
import { browserBundlesAreCurrent, buildBrowserBundles } from '../web/browser-bundles.js';

if (!(process.argv.includes('--if-stale') && browserBundlesAreCurrent())) {
  const started = Date.now();
  await buildBrowserBundles();
  console.log(`browser bundles written to web/dist (${Date.now() - started} ms)`);
}
