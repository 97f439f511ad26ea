import { describe, expect, it } from 'vitest';
import smCrypto from 'sm-crypto';
import { hashPassword, hmacSm3Hex, sm2Decrypt, sm2Encrypt, generateSm2KeyPair, sm3Hex, verifyPassword } from './sm.js';

describe('SM3', () => {
  it('matches the GB/T 32905 test vector and sm-crypto', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3Hex('中文')).toBe(smCrypto.sm3('中文'));
  });

  it('HMAC-SM3 agrees with sm-crypto', () => {
    const key = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
    expect(hmacSm3Hex(key, 'operation log row')).toBe(smCrypto.sm3('operation log row', { key: key.toString('hex'), mode: 'hmac' }));
  });
});

describe('password KDF', () => {
  it('stores salt and hash but never the password, and verifies', () => {
    const stored = hashPassword('Secret#2026', 1000);
    expect(stored).toMatch(/^pbkdf2-sm3\$1000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain('Secret');
    expect(verifyPassword('Secret#2026', stored)).toBe(true);
    expect(verifyPassword('Secret#2027', stored)).toBe(false);
  });

  it('salts: the same password hashes differently each time', () => {
    expect(hashPassword('Secret#2026', 1000)).not.toBe(hashPassword('Secret#2026', 1000));
  });

  it('rejects a malformed stored value instead of throwing', () => {
    expect(verifyPassword('x', 'plain-text')).toBe(false);
  });
});

describe('SM2 login encryption', () => {
  it('decrypts what the browser library encrypts, with or without the 04 prefix', () => {
    const keys = generateSm2KeyPair();
    const c = sm2Encrypt('密码Ab#1', keys.publicKey);
    expect(sm2Decrypt(c, keys.privateKey)).toBe('密码Ab#1');
    expect(sm2Decrypt(`04${c}`, keys.privateKey)).toBe('密码Ab#1');
  });

  it('returns undefined for garbage or another key', () => {
    const a = generateSm2KeyPair();
    const b = generateSm2KeyPair();
    expect(sm2Decrypt('zz', a.privateKey)).toBeUndefined();
    expect(sm2Decrypt(sm2Encrypt('x', b.publicKey), a.privateKey)).toBeUndefined();
  });
});
