/**
 * `npm run test:postgres`: runs every suite that uses test/support/databases.ts (store, jobs, server) against a
 * real PostgreSQL server.
 * With TEST_DATABASE_URL set it uses that server; otherwise it starts a throwaway cluster from Debian's
 * `postgresql` package (as the `postgres` user when run as root, since initdb refuses root), on a free
 * loopback port, and removes it afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every suite that runs against the databases of test/support/databases.ts: the store, jobs and server suites. */
function databaseSuites(dir = 'test'): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...databaseSuites(path));
    else if (/\.test\.tsx?$/.test(entry.name) && readFileSync(path, 'utf8').includes('testDatabases()')) out.push(path);
  }
  return out.sort();
}

function findPgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb'))) return bin;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function runJest(url: string): number {
  const suites = databaseSuites();
  const res = spawnSync(
    'node',
    ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...suites, '--selectProjects', 'unit', 'properties'],
    { stdio: 'inherit', env: { ...process.env, TEST_DATABASE_URL: url, TEST_DATABASES: 'postgres' } },
  );
  return res.status ?? 1;
}

async function main(): Promise<number> {
  if (process.env.TEST_DATABASE_URL) return runJest(process.env.TEST_DATABASE_URL);

  const bin = findPgBin();
  if (!bin) {
    process.stderr.write(
      'PostgreSQL server binaries not found under /usr/lib/postgresql.\n' +
        'Install them (Debian: apt-get install -y postgresql) or set TEST_DATABASE_URL to a server you have.\n',
    );
    return 1;
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'rh-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });

  process.stdout.write(`Starting a throwaway PostgreSQL (${bin}) on 127.0.0.1:${port}\n`);
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    run('pg_ctl', [
      '-D',
      data,
      '-w',
      '-l',
      join(dir, 'server.log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
    return runJest(`postgres://postgres@127.0.0.1:${port}/postgres`);
  } finally {
    try {
      run('pg_ctl', ['-D', data, '-m', 'fast', 'stop']);
    } catch {
      // the server may never have started; the folder goes either way
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
