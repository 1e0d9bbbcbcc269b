import { z } from 'zod';
import { zodIssues } from './core/validate.js';

/**
 * Every environment variable the app reads, with its default. The README's configuration table mirrors this
 * schema; keep them in step.
 */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_BASE_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ENCRYPTION_KEY: z.string().optional(),
  ENCRYPTION_KEY_PREVIOUS: z.string().optional(),
});

export interface AppConfig {
  port: number;
  host: string;
  /** The https URL HubSpot reaches us on; signatures are computed over it. Defaults to http://localhost:PORT. */
  publicBaseUrl: string;
  databaseUrl: string | undefined;
  pgliteDataDir: string;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  /** Key for secrets at rest; unset only with the embedded database (a local key file is used then). */
  encryptionKey: string | undefined;
  previousEncryptionKeys: string[];
}

/** Thrown when the environment is misconfigured; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration from an environment (process.env by default).
 * @example const config = loadConfig({ PORT: '0', PGLITE_DATA_DIR: 'memory://' });
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(zodIssues(parsed.error).map((i) => `${i.path} ${i.message}`));
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.ENCRYPTION_KEY) {
    throw new ConfigError([
      'ENCRYPTION_KEY is required with DATABASE_URL: tokens are encrypted at rest (make one with `openssl rand -base64 32`)',
    ]);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    pgliteDataDir: e.PGLITE_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    encryptionKey: e.ENCRYPTION_KEY || undefined,
    previousEncryptionKeys: (e.ENCRYPTION_KEY_PREVIOUS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
  };
}
