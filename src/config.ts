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
  /** `false` makes a web-only process (scaled-out deployments run `npm run worker` separately). */
  WORKERS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
  ENCRYPTION_KEY: z.string().optional(),
  HUBSPOT_CLIENT_ID: z.string().optional(),
  HUBSPOT_CLIENT_SECRET: z.string().optional(),
  HUBSPOT_APP_ID: z.string().regex(/^\d+$/, 'must be the numeric app id').optional(),
  HUBSPOT_API_BASE_URL: z.url().optional(),
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
  /** Run the job workers in this process too (the default, as `npm start` does for one-process setups). */
  workers: boolean;
  /** Key for secrets at rest; unset only with the embedded database (a local key file is used then). */
  encryptionKey: string | undefined;
  previousEncryptionKeys: string[];
  /** No HubSpot app credentials: run the demo (local HubSpot and finance sandboxes, a seeded portal). */
  demo: boolean;
  hubspot: {
    clientId: string;
    /** Verifies every request from HubSpot (cards' hubspot.fetch and webhooks). */
    clientSecret: string;
    appId: string;
    /** https://api.hubapi.com, or the local sandbox in the demo. */
    apiBaseUrl: string | undefined;
  };
}

/** The client secret the demo's card preview signs with; never accepted when real credentials are configured. */
export const DEMO_CLIENT_SECRET = 'demo-client-secret-not-for-production';

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
  const partial = [e.HUBSPOT_CLIENT_ID, e.HUBSPOT_CLIENT_SECRET].filter(Boolean).length === 1;
  if (partial) {
    throw new ConfigError([
      'HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET go together: set both, or neither for the demo',
    ]);
  }
  const demo = !e.HUBSPOT_CLIENT_ID;
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
    workers: e.WORKERS === 'true',
    encryptionKey: e.ENCRYPTION_KEY || undefined,
    previousEncryptionKeys: (e.ENCRYPTION_KEY_PREVIOUS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    demo,
    hubspot: {
      clientId: e.HUBSPOT_CLIENT_ID || 'demo-client-id',
      // An empty value counts as unset: a blank secret would verify nothing.
      clientSecret: e.HUBSPOT_CLIENT_SECRET || DEMO_CLIENT_SECRET,
      appId: e.HUBSPOT_APP_ID ?? '0',
      apiBaseUrl: e.HUBSPOT_API_BASE_URL,
    },
  };
}
