import crypto from 'node:crypto';
import smCrypto from 'sm-crypto';

/**
 * National (商用密码) algorithms. SM2 comes from sm-crypto (the same library the browser uses to
 * encrypt); SM3 runs on Node's OpenSSL, which is ~400× faster than pure JS and so allows a KDF
 * iteration count that makes offline guessing expensive. sm3.test.ts checks both agree.
 */
const { sm2 } = smCrypto;

export function sm3Hex(data: string | Buffer): string {
  return crypto.createHash('sm3').update(data).digest('hex');
}

export function hmacSm3Hex(key: Buffer, data: string): string {
  return crypto.createHmac('sm3', key).update(data).digest('hex');
}

const KDF_ID = 'pbkdf2-sm3';

/** PBKDF2-HMAC-SM3 with a 16-byte random salt: `pbkdf2-sm3$iterations$salt$hash` (base64). */
export function hashPassword(password: string, iterations: number): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.pbkdf2Sync(password, salt, iterations, 32, 'sm3');
  return [KDF_ID, iterations, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function verifyPassword(password: string, stored: string): boolean {
  const [id, iter, salt, hash] = stored.split('$');
  if (id !== KDF_ID || !iter || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = crypto.pbkdf2Sync(password, Buffer.from(salt, 'base64'), Number(iter), expected.length, 'sm3');
  return crypto.timingSafeEqual(expected, actual);
}

export interface Sm2KeyPair {
  publicKey: string;
  privateKey: string;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  const { publicKey, privateKey } = sm2.generateKeyPairHex();
  return { publicKey, privateKey };
}

/** C1C3C2 ciphertext (hex, with or without the 04 prefix) → plain text; undefined when it does not decrypt. */
export function sm2Decrypt(cipherHex: string, privateKey: string): string | undefined {
  if (!/^[0-9a-fA-F]+$/.test(cipherHex) || cipherHex.length < 194) return undefined;
  const body = cipherHex.startsWith('04') && cipherHex.length % 2 === 0 ? cipherHex.slice(2) : cipherHex;
  try {
    const plain = sm2.doDecrypt(body, privateKey, 1);
    return plain ? plain : undefined;
  } catch {
    return undefined;
  }
}

export function sm2Encrypt(plain: string, publicKey: string): string {
  return sm2.doEncrypt(plain, publicKey, 1);
}
