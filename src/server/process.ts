import { ConfigError } from '../config.js';

/**
 * The lifecycle every command of ours shares (`npm start`, `npm run worker`, the CLIs): run `main`, and on failure
 * print a readable message (a configuration error names the setting and points at .env.example) and exit 1.
 * @example runMain('Revenue Handoff worker', main)
 */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example and the README's configuration table.\n`);
    } else {
      process.stderr.write(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    process.exit(1);
  });
}

/**
 * Runs `stop` once on SIGINT or SIGTERM (finish running work, close the database), then exits 0.
 * @example stopOnSignals(async () => { await queue.stop(); await db.close(); })
 */
export function stopOnSignals(stop: (signal: string) => Promise<void>): void {
  const once = async (signal: string) => {
    await stop(signal);
    process.exit(0);
  };
  process.once('SIGINT', () => void once('SIGINT'));
  process.once('SIGTERM', () => void once('SIGTERM'));
}
