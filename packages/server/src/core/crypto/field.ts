import crypto from 'node:crypto';
import { hmacSm3Hex } from './sm.js';

/**
 * Sensitive personal fields (mobile, ID number): SM4-CBC with a random IV at rest, plus an
 * HMAC-SM3 blind index so that an exact value can be searched without decrypting every row.
 */
export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  /** Deterministic index of a normalised value (trimmed, upper case) for exact-match search. */
  blindIndex(plain: string): string;
}

export function fieldCipher(sm4Key: Buffer, indexKey: Buffer): FieldCipher {
  if (sm4Key.length !== 16) throw new Error('SM4 key must be 16 bytes');
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(16);
      const c = crypto.createCipheriv('sm4-cbc', sm4Key, iv);
      return `sm4$${iv.toString('base64')}$${Buffer.concat([c.update(plain, 'utf8'), c.final()]).toString('base64')}`;
    },
    decrypt(stored) {
      const [id, iv, body] = stored.split('$');
      if (id !== 'sm4' || !iv || !body) throw new Error('not an SM4 field value');
      const d = crypto.createDecipheriv('sm4-cbc', sm4Key, Buffer.from(iv, 'base64'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
    },
    blindIndex(plain) {
      return hmacSm3Hex(indexKey, plain.trim().toUpperCase());
    },
  };
}

/** 13812345678 → 138****5678; 510184199001011234 → 5101**********1234. */
export function mask(value: string | null | undefined, keepStart = 3, keepEnd = 4): string | null {
  if (!value) return null;
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length);
  return `${value.slice(0, keepStart)}${'*'.repeat(value.length - keepStart - keepEnd)}${value.slice(-keepEnd)}`;
}
