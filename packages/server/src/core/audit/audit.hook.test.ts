import { describe, expect, it } from 'vitest';
import { redact } from './audit.hook.js';

describe('operation-log content', () => {
  it('masks secrets and personal fields at any depth', () => {
    const text = redact({ username: 'u1', password: 'Secret#1', profile: { idNumber: '510184199001011234', mobile: '13812345678' }, name: '张' })!;
    expect(text).toContain('"username":"u1"');
    for (const plain of ['Secret#1', '510184199001011234', '13812345678']) expect(text).not.toContain(plain);
    expect(text.match(/\*{6}/g)).toHaveLength(3);
  });

  it('cuts long bodies', () => {
    expect(redact({ a: 'x'.repeat(5000) })!.length).toBeLessThanOrEqual(2001);
  });
});
