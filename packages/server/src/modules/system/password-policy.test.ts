import { describe, expect, it } from 'vitest';
import { passwordRuleBroken } from './password-policy.js';

const policy = { minLength: 8, minClasses: 3, forbidUsername: true, maxFailures: 5, lockMinutes: 30, expiryDays: 90, idleTimeoutMinutes: 30 };

describe('password policy', () => {
  it.each([
    ['Ab#1', '密码长度不能少于 8 位'],
    ['abcdefgh', '至少 3 类（当前 1 类）'],
    ['abcdefg1', '至少 3 类（当前 2 类）'],
    ['Zhangsan#2026', '密码不能包含账号名'],
  ])('refuses %s with the rule it breaks', (pw, rule) => {
    expect(passwordRuleBroken(pw, 'zhangsan', policy)).toContain(rule);
  });

  it('accepts a compliant password', () => {
    expect(passwordRuleBroken('Chongzhou@2026', 'zhangsan', policy)).toBeUndefined();
    expect(passwordRuleBroken('chongzhou@2026', 'zhangsan', policy)).toBeUndefined();
  });

  it('follows a configured policy', () => {
    expect(passwordRuleBroken('abcdefghij', 'u', { ...policy, minLength: 12, minClasses: 1 })).toContain('12 位');
    expect(passwordRuleBroken('zhangsan-Pw1', 'zhangsan', { ...policy, forbidUsername: false })).toBeUndefined();
  });
});
