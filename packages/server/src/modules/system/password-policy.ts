import type { PasswordPolicy } from '@cityops/contracts';

const CLASSES: [RegExp, string][] = [
  [/[a-z]/, '小写字母'],
  [/[A-Z]/, '大写字母'],
  [/[0-9]/, '数字'],
  [/[^a-zA-Z0-9]/, '特殊字符'],
];

/** The first rule `password` breaks, as a sentence for the user; undefined when it complies. */
export function passwordRuleBroken(password: string, username: string, p: PasswordPolicy): string | undefined {
  if (password.length < p.minLength) return `密码长度不能少于 ${p.minLength} 位`;
  if (password.length > 64) return '密码长度不能超过 64 位';
  const held = CLASSES.filter(([re]) => re.test(password)).length;
  if (held < p.minClasses) {
    return `密码须包含大写字母、小写字母、数字、特殊字符中的至少 ${p.minClasses} 类（当前 ${held} 类）`;
  }
  if (p.forbidUsername && username && password.toLowerCase().includes(username.toLowerCase())) {
    return '密码不能包含账号名';
  }
  return undefined;
}
