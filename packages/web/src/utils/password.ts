import type { PasswordPolicy } from '@cityops/contracts';
import type { PasswordChangeReason } from '@/stores/auth';

/** Why the server demands a password change, as told to the user. */
export const PASSWORD_CHANGE_REASONS: Record<PasswordChangeReason, string> = {
  initial: '您当前使用的是初始密码',
  expired: '您的密码已过期',
  reset: '您的密码已被管理员重置',
};

/** How many of the classes lower case, upper case, digits and symbols the password uses. */
export function countCharClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** The policy in one sentence, for the hint under the new-password field. */
export function describePolicy(p: PasswordPolicy): string {
  const parts = [`密码长度至少 ${p.minLength} 位`];
  if (p.minClasses > 1) parts.push(`须包含大写字母、小写字母、数字、特殊字符中的至少 ${p.minClasses} 类`);
  if (p.forbidUsername) parts.push('不能包含账号名');
  let text = `${parts.join('，')}。`;
  if (p.expiryDays > 0) text += `密码有效期 ${p.expiryDays} 天，到期后须重新修改。`;
  return text;
}

export interface Strength {
  level: 'weak' | 'medium' | 'strong';
  label: string;
}

/** A rough strength estimate for the meter (the policy decides what is accepted). */
export function passwordStrength(password: string, policy: PasswordPolicy | null): Strength {
  const minLength = policy?.minLength ?? 8;
  const classes = countCharClasses(password);
  if (password.length < minLength || classes < Math.min(policy?.minClasses ?? 3, 4)) {
    return { level: 'weak', label: '弱' };
  }
  if (password.length >= minLength + 4 && classes >= 4) return { level: 'strong', label: '强' };
  if (classes >= 3 && password.length >= minLength + 2) return { level: 'strong', label: '强' };
  return { level: 'medium', label: '中' };
}
