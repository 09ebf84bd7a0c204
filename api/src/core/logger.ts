import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths that must never reach a log line: credentials, tokens and key material. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  'pin',
  'token',
  'secret',
  'apiKey',
  'privateKey',
  '*.password',
  '*.pin',
  '*.token',
  '*.secret',
  '*.privateKey',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'farm-trace' } },
    destination ?? process.stdout,
  );
}
