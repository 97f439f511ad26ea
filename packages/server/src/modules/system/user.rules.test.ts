import { describe, expect, it } from 'vitest';
import { residentIdProblem, UserCreateBody } from '@cityops/contracts';
import { generatePassword, maskIdNumber, maskMobile } from './user.service.js';
import { passwordRuleBroken } from './password-policy.js';

const policy = { minLength: 8, minClasses: 3, forbidUsername: true, maxFailures: 5, lockMinutes: 30, expiryDays: 90, idleTimeoutMinutes: 30 };

describe('居民身份证号码 (GB 11643-1999)', () => {
  it('accepts numbers with the right check character, in either case of X', () => {
    expect(residentIdProblem('11010519491231002X')).toBeUndefined(); // the standard's own example
    expect(residentIdProblem('11010519491231002x')).toBeUndefined();
    expect(residentIdProblem('510184199003071239')).toBeUndefined();
  });

  it('says what is wrong', () => {
    expect(residentIdProblem('110105194912310021')).toBe('居民身份证号码校验位不正确');
    expect(residentIdProblem('11010519491231002')).toBe('居民身份证号码应为 18 位');
    expect(residentIdProblem('A1010519491231002X')).toBe('居民身份证号码格式不正确');
    expect(residentIdProblem('110105199002300021')).toBe('居民身份证号码中的出生日期不正确'); // 30 February
    expect(residentIdProblem('110105209912310021')).toBe('居民身份证号码中的出生日期不正确'); // not born yet
  });

  it('is only applied to the 居民身份证 type', () => {
    const base = { username: 'abc', name: '某人', orgId: crypto.randomUUID() };
    expect(UserCreateBody.safeParse({ ...base, idType: '03', idNumber: 'E12345678' }).success).toBe(true);
    expect(UserCreateBody.safeParse({ ...base, idType: '01', idNumber: 'E12345678' }).success).toBe(false);
    expect(UserCreateBody.parse({ ...base, idType: '01', idNumber: ' 11010519491231002x ' }).idNumber).toBe('11010519491231002X');
  });
});

describe('masks', () => {
  it('keeps the region code and the last four digits of an ID number, and the ends of a mobile', () => {
    expect(maskIdNumber('510184199003071239')).toBe('510184********1239');
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
    expect(maskIdNumber(null)).toBeNull();
    expect(maskMobile('13812345678')).toBe('138****5678');
  });
});

describe('generated passwords', () => {
  it('comply with the policy, differ every time and avoid look-alike characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassword('zhang_wei', { ...policy, minClasses: 4 });
      expect(passwordRuleBroken(p, 'zhang_wei', { ...policy, minClasses: 4 })).toBeUndefined();
      expect(p).not.toMatch(/[O0Il1]/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
    expect(generatePassword('x', { ...policy, minLength: 20 })).toHaveLength(20);
  });
});
