import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createSecretBox, localDevelopmentKey } from '../../src/store/secrets.js';

const keyA = Buffer.alloc(32, 1).toString('base64');
const keyB = Buffer.alloc(32, 2).toString('base64');

describe('secrets at rest', () => {
  it('round-trips a token and never stores it in clear', () => {
    const box = createSecretBox(keyA);
    const sealed = box.encrypt('refresh-token-xyz', 'installations:42:refresh');
    expect(sealed).not.toContain('refresh-token-xyz');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.decrypt(sealed, 'installations:42:refresh')).toBe('refresh-token-xyz');
  });

  it('encrypts the same token differently each time', () => {
    const box = createSecretBox(keyA);
    expect(box.encrypt('t', 'c')).not.toBe(box.encrypt('t', 'c'));
  });

  it("refuses a ciphertext moved onto another portal's row", () => {
    const box = createSecretBox(keyA);
    const sealed = box.encrypt('token', 'installations:42:access');
    expect(() => box.decrypt(sealed, 'installations:43:access')).toThrow('belongs to another record');
  });

  it('detects tampering', () => {
    const box = createSecretBox(keyA);
    const parts = box.encrypt('token', 'c').split('.');
    parts[4] = Buffer.from('forged').toString('base64url');
    expect(() => box.decrypt(parts.join('.'), 'c')).toThrow('could not be decrypted');
  });

  it('still reads values written under the previous key after a rotation, and flags them for re-encryption', () => {
    const old = createSecretBox(keyA);
    const sealed = old.encrypt('token', 'c');
    const rotated = createSecretBox(keyB, [keyA]);
    expect(rotated.decrypt(sealed, 'c')).toBe('token');
    expect(rotated.needsRotation(sealed)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('token', 'c'))).toBe(false);
    expect(() => createSecretBox(keyB).decrypt(sealed, 'c')).toThrow('unknown key');
  });

  it('rejects a key that is not 32 bytes with a message saying how to make one', () => {
    expect(() => createSecretBox('short')).toThrow('openssl rand -base64 32');
  });

  it('creates a private local key file once and reuses it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rh-key-')), 'k', 'encryption.key');
    const first = localDevelopmentKey(path);
    expect(localDevelopmentKey(path)).toBe(first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(() => createSecretBox(first)).not.toThrow();
  });
});
