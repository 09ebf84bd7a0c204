import { CONFIG_VARIABLES } from '../../src/core/config.js';

/** The parent's environment without any setting the service or its CLIs read, plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!CONFIG_VARIABLES.includes(name) && name !== 'ADMIN_PASSWORD') env[name] = value;
  return { ...env, ...extra };
}
