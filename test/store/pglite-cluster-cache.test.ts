/**
 * The embedded database's start-up copy: the first in-memory open keeps the freshly initialised cluster on disk,
 * later opens (this process's or another's) start from it, and a damaged copy never stops the app from opening.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { emptyClusterCache, openPglite } from '../../src/store/pglite.js';

const sizeOf = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

describe('PGlite empty-cluster copy', () => {
  it('is written by an open without one, used by the next, and replaced when damaged', async () => {
    rmSync(emptyClusterCache.path, { force: true });
    emptyClusterCache.forgetInProcess();
    const first = await openPglite();
    await first.exec('CREATE TABLE kept_apart (n int)');
    expect(sizeOf(emptyClusterCache.path)).toBeGreaterThan(1_000_000);

    // A copy of the empty cluster: nothing the first database did since shows up in the next one.
    emptyClusterCache.forgetInProcess();
    const second = await openPglite();
    expect(await second.query("SELECT to_regclass('kept_apart') AS t")).toEqual([{ t: null }]);

    writeFileSync(emptyClusterCache.path, 'not a cluster');
    emptyClusterCache.forgetInProcess();
    const third = await openPglite();
    expect(await third.query('SELECT 1 + 1 AS two')).toEqual([{ two: 2 }]);
    expect(readFileSync(emptyClusterCache.path).subarray(0, 13).toString()).not.toBe('not a cluster');
    expect(sizeOf(emptyClusterCache.path)).toBeGreaterThan(1_000_000);
    await Promise.all([first.close(), second.close(), third.close()]);
  }, 120_000);
});
