import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fieldCipher, mask } from './field.js';

describe('personal field encryption', () => {
  const f = fieldCipher(crypto.randomBytes(16), crypto.randomBytes(32));

  it('round-trips through SM4 with a fresh IV each time', () => {
    const a = f.encrypt('13812345678');
    const b = f.encrypt('13812345678');
    expect(a).not.toBe(b);
    expect(a).not.toContain('13812345678');
    expect(f.decrypt(a)).toBe('13812345678');
  });

  it('gives the same blind index for the same normalised value only', () => {
    expect(f.blindIndex(' 51018419900101123x ')).toBe(f.blindIndex('51018419900101123X'));
    expect(f.blindIndex('13812345678')).not.toBe(f.blindIndex('13812345679'));
    // A keyed HMAC, not a bare hash: without the key the index of a known number cannot be recomputed.
    expect(f.blindIndex('13812345678')).toMatch(/^[0-9a-f]{64}$/);
    const other = fieldCipher(crypto.randomBytes(16), crypto.randomBytes(32));
    expect(other.blindIndex('13812345678')).not.toBe(f.blindIndex('13812345678'));
  });

  it('masks for lists', () => {
    expect(mask('13812345678')).toBe('138****5678');
    expect(mask('510184199001011234', 4, 4)).toBe('5101**********1234');
    expect(mask(null)).toBeNull();
  });
});
