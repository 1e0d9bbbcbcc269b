import { type Logger, pino } from 'pino';

/** Paths whose values never reach a log line: tokens, secrets, signatures, cookies. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'req.headers["intuit-signature"]',
  'req.headers["x-xero-signature"]',
  'req.headers["stripe-signature"]',
  '*.access_token',
  '*.refresh_token',
  '*.accessToken',
  '*.refreshToken',
  '*.client_secret',
  '*.clientSecret',
  '*.password',
  '*.secret',
];

/** The app's logger (JSON lines on stdout). */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination ?? process.stdout);
}
