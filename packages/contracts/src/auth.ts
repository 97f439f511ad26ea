import { z } from 'zod';
import { defineEndpoint } from './endpoint.js';
import { Ok } from './common.js';

export const PublicKey = z.object({
  algorithm: z.literal('SM2'),
  publicKey: z.string().describe('uncompressed SM2 public key, hex (04…)'),
  cipherMode: z.literal(1).describe('C1C3C2, as sm-crypto doEncrypt(…, 1)'),
});

const secret = z.string().min(1, '请输入密码').max(1024);

export const LoginBody = z.object({
  username: z.string().trim().min(1, '请输入账号').max(64),
  password: secret.describe('plain password, or its SM2 ciphertext (hex) when encrypted is true'),
  encrypted: z.boolean().default(false),
});

export const PasswordChangeReason = z.enum(['initial', 'expired', 'reset']);

export const LoginResult = z.object({
  token: z.string(),
  idleTimeoutSeconds: z.number().int(),
  mustChangePassword: z.boolean(),
  reason: PasswordChangeReason.optional(),
});

export const ChangePasswordBody = z.object({
  oldPassword: secret,
  newPassword: secret,
  encrypted: z.boolean().default(false),
});

export const PasswordPolicy = z.object({
  minLength: z.number().int(),
  minClasses: z.number().int().describe('of: lower case, upper case, digits, symbols'),
  forbidUsername: z.boolean(),
  maxFailures: z.number().int(),
  lockMinutes: z.number().int(),
  expiryDays: z.number().int(),
  idleTimeoutMinutes: z.number().int(),
});
export type PasswordPolicy = z.infer<typeof PasswordPolicy>;

export interface MenuNode {
  id: string;
  name: string;
  code: string;
  route: string | null;
  icon: string | null;
  children: MenuNode[];
}
export const MenuNode: z.ZodType<MenuNode> = z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    code: z.string(),
    route: z.string().nullable(),
    icon: z.string().nullable(),
    children: z.array(MenuNode),
  }),
);

export const CurrentUser = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  mustChangePassword: z.boolean(),
  passwordChangeReason: PasswordChangeReason.optional(),
});

export const Me = z.object({
  user: CurrentUser,
  permissions: z.array(z.string()),
  menus: z.array(MenuNode),
});
export type Me = z.infer<typeof Me>;

export const authEndpoints = {
  publicKey: defineEndpoint({
    method: 'GET', path: '/api/auth/public-key', summary: '获取登录加密用的 SM2 公钥', tags: ['auth'],
    access: 'anonymous', response: PublicKey,
  }),
  passwordPolicy: defineEndpoint({
    method: 'GET', path: '/api/auth/password-policy', summary: '密码策略', tags: ['auth'],
    access: 'anonymous', response: PasswordPolicy,
  }),
  login: defineEndpoint({
    method: 'POST', path: '/api/auth/login', summary: '登录', tags: ['auth'],
    access: 'anonymous', body: LoginBody, response: LoginResult,
  }),
  logout: defineEndpoint({
    method: 'POST', path: '/api/auth/logout', summary: '退出登录', tags: ['auth'],
    access: 'authenticated', response: Ok,
  }),
  me: defineEndpoint({
    method: 'GET', path: '/api/auth/me', summary: '当前用户、权限与菜单', tags: ['auth'],
    access: 'authenticated', response: Me,
  }),
  changePassword: defineEndpoint({
    method: 'POST', path: '/api/auth/change-password', summary: '修改本人密码', tags: ['auth'],
    access: 'authenticated', body: ChangePasswordBody, response: Ok,
  }),
};
