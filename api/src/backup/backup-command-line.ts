import { parseArgs } from 'node:util';
import { loadStorageConfigOrExit } from '../core/config.js';

export interface BackupCommandLine {
  file: string;
  /** The boolean flags given (`--include-secrets` → `include-secrets: true`). */
  flags: Record<string, boolean>;
  databasePath: string;
  dataDir: string;
}

/**
 * What `npm run backup` and `npm run restore` are asked to do: one file, boolean flags, and the
 * embedded database of DATABASE_URL. A wrong argument prints the usage and exits 2; `--help`
 * prints it and exits 0; a MongoDB DATABASE_URL prints `mongoAdvice` and exits 1.
 */
export function readBackupCommandLine(spec: { usage: string; flags: string[]; file: string; mongoAdvice: string }): BackupCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, ...Object.fromEntries(spec.flags.map((flag) => [flag, { type: 'boolean' as const }])) } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${spec.usage}`);
    process.exit(2);
  }
  if (parsed.values.help) {
    console.log(spec.usage);
    process.exit(0);
  }
  if (parsed.positionals.length !== 1) {
    console.error(`${parsed.positionals.length === 0 ? `name the ${spec.file}` : `name exactly one ${spec.file}`}\n${spec.usage}`);
    process.exit(2);
  }
  const storage = loadStorageConfigOrExit();
  if (storage.database.kind !== 'sqlite') {
    console.error(`DATABASE_URL names MongoDB: ${spec.mongoAdvice}, as docs/operations.md ("Backup and restore" → "MongoDB") describes.`);
    process.exit(1);
  }
  const flags = Object.fromEntries(spec.flags.map((flag) => [flag, parsed.values[flag] === true]));
  return { file: parsed.positionals[0]!, flags, databasePath: storage.database.path, dataDir: storage.dataDir };
}
