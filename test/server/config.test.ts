import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('defaults to the embedded database on port 3000 when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, pgliteDataDir: '.data/pglite' });
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/app', ENCRYPTION_KEY: 'k' });
    expect(c.databaseUrl).toBe('postgres://u@db:5432/app');
  });

  it('requires an encryption key for PostgreSQL, where tokens of real portals live', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db:5432/app' })).toThrow('ENCRYPTION_KEY is required');
  });

  it('reads previous keys for rotation as a comma-separated list', () => {
    expect(loadConfig({ ENCRYPTION_KEY_PREVIOUS: 'a, b' }).previousEncryptionKeys).toEqual(['a', 'b']);
  });

  it('names every bad variable in one error', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as ConfigError).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
    }
  });
});
