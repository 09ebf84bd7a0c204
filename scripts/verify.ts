/**
 * `npm run verify -- <bundle.json> [--jwks <jwks.json>] [--log-key <vkey>] [--engine webcrypto|noble] [--fetch-media] [--json]`
 *
 * Verifies a provenance bundle offline, with no server and no database: exit 0 when every event
 * verifies, 1 with a report naming each failed event and check otherwise (or when the file cannot
 * be read), 2 on wrong usage. `--jwks` checks against keys obtained independently (e.g. a saved
 * copy of an organization's /.well-known/jwks.json) instead of the keys inside the bundle.
 * `--log-key` checks the log checkpoint against a verifier key obtained independently (e.g. the
 * one a monitor pinned, from /api/v1/log/vkey) instead of the one inside the bundle.
 * `--fetch-media` downloads every signed photo rendition and checks it against its signed hash.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { PublishedKey } from '../api/src/verifier/bundle-format.js';
import { describeReport, verifyBundle } from '../api/src/verifier/verify-bundle.js';

const USAGE = 'usage: npm run verify -- <bundle.json> [--jwks <jwks.json>] [--log-key <vkey>] [--engine webcrypto|noble] [--fetch-media] [--json]';

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      jwks: { type: 'string' },
      'log-key': { type: 'string' },
      engine: { type: 'string' },
      'fetch-media': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { positionals, values } = args;
if (values.help || positionals.length !== 1 || (values.engine && !['webcrypto', 'noble'].includes(values.engine))) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`INVALID: cannot read the ${what} ${file}: ${(error as Error).message}`);
    process.exit(1);
  }
}

const bundle = readJson(positionals[0]!, 'bundle');
const trustedKeys = values.jwks ? ((readJson(values.jwks, 'key set') as { keys?: PublishedKey[] }).keys ?? []) : undefined;
const fetchMedia = async (url: string): Promise<Uint8Array> => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
};
const report = await verifyBundle(bundle, {
  engine: (values.engine as 'webcrypto' | 'noble' | undefined) ?? 'auto',
  trustedKeys,
  ...(values['log-key'] ? { trustedLogKey: values['log-key'] } : {}),
  ...(values['fetch-media'] ? { fetchMedia } : {}),
});
console.log(values.json ? JSON.stringify(report, null, 2) : describeReport(report));
process.exit(report.valid ? 0 : 1);
