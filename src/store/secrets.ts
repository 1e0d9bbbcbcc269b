import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Encrypts secrets (OAuth access and refresh tokens, finance API keys) before they reach the database:
 * AES-256-GCM with a random 96-bit IV, and the row's identity as additional authenticated data, so a
 * ciphertext copied onto another portal's row fails to decrypt. Stored as `v1.<keyId>.<iv>.<tag>.<data>`.
 * A previous key may be kept for rotation: values written under it still decrypt, new values use the current key.
 */
export interface SecretBox {
  encrypt(plaintext: string, context: string): string;
  decrypt(sealed: string, context: string): string;
  /** True when `sealed` was written under an older key and should be re-encrypted. */
  needsRotation(sealed: string): boolean;
}

function parseKey(value: string, name: string): Buffer {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) {
    throw new Error(`${name} must be 32 random bytes, base64-encoded (e.g. \`openssl rand -base64 32\`)`);
  }
  return key;
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * A SecretBox over a current key and optional previous keys (base64, 32 bytes each).
 * @example const box = createSecretBox(process.env.ENCRYPTION_KEY!); box.decrypt(box.encrypt('t', 'p:1'), 'p:1')
 */
export function createSecretBox(currentKey: string, previousKeys: string[] = []): SecretBox {
  const current = parseKey(currentKey, 'ENCRYPTION_KEY');
  const keys = new Map<string, Buffer>([[keyId(current), current]]);
  for (const k of previousKeys) {
    const key = parseKey(k, 'ENCRYPTION_KEY_PREVIOUS');
    keys.set(keyId(key), key);
  }
  const currentId = keyId(current);
  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', currentId, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join(
        '.',
      );
    },
    decrypt(sealed, context) {
      const [version, id, iv, tag, data] = sealed.split('.');
      if (version !== 'v1' || !id || !iv || !tag || data === undefined) throw new Error('not an encrypted secret');
      const key = keys.get(id);
      if (!key) throw new Error(`secret was encrypted with an unknown key (${id}); is ENCRYPTION_KEY_PREVIOUS set?`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('secret could not be decrypted: wrong key, or it belongs to another record');
      }
    },
    needsRotation(sealed) {
      return sealed.split('.')[1] !== currentId;
    },
  };
}

/**
 * For the embedded, no-credentials setup only: reads a local key file, creating it (mode 0600) on first run,
 * so that `npm start` works without configuration while tokens are still never stored in clear.
 * @example const key = localDevelopmentKey('.data/encryption.key');
 */
export function localDevelopmentKey(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return key;
}
