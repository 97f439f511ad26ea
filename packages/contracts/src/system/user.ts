import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { BatchBody, BatchResult, IsoDateTime, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS } from '../permissions.js';
import { PasswordChangeReason } from '../auth.js';

/** Key of 居民身份证 in the dictionary 'id_type': its numbers are checked as GB 11643 says. */
export const ID_TYPE_RESIDENT = '01';

/** The built-in account that can be neither deleted nor disabled. */
export const BUILTIN_ADMIN_USERNAME = 'admin';

const RESIDENT_ID = /^\d{6}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/**
 * Why a 居民身份证 number (GB 11643-1999, 18 characters) is not valid, or undefined when it is:
 * format, a real date of birth not in the future, and the ISO 7064 MOD 11-2 check character.
 */
export function residentIdProblem(value: string): string | undefined {
  const v = value.trim().toUpperCase();
  if (v.length !== 18) return '居民身份证号码应为 18 位';
  if (!RESIDENT_ID.test(v)) return '居民身份证号码格式不正确';
  const [y, m, d] = [Number(v.slice(6, 10)), Number(v.slice(10, 12)), Number(v.slice(12, 14))];
  const born = new Date(Date.UTC(y, m - 1, d));
  if (born.getUTCFullYear() !== y || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d || born.getTime() > Date.now()) {
    return '居民身份证号码中的出生日期不正确';
  }
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(v[i]), 0);
  if (CHECK_CHARS[sum % 11] !== v[17]) return '居民身份证号码校验位不正确';
  return undefined;
}

export const USERNAME_PATTERN = /^[A-Za-z0-9_]{3,32}$/;
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;
/** Numbers of other ID types (passports, permits…): letters, digits and '-'. */
export const OTHER_ID_PATTERN = /^[A-Za-z0-9-]{4,32}$/;

export const Username = z
  .string()
  .trim()
  .min(1, '请输入账号')
  .regex(USERNAME_PATTERN, '账号须为 3–32 位字母、数字或下划线');

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}不能超过 ${max} 个字符`)
    .nullish()
    .transform((v) => v || null);

/** The fields of a person an administrator fills in (the account and password aside). */
const PersonFields = z.object({
  name: z.string().trim().min(1, '请输入姓名').max(50, '姓名不能超过 50 个字符'),
  orgId: z.uuid('请选择所属组织'),
  gender: optionalText(16, '性别'),
  staffNo: optionalText(32, '工号'),
  idType: optionalText(16, '证件类别'),
  idNumber: z
    .string()
    .trim()
    .max(32, '证件号不能超过 32 个字符')
    .nullish()
    .transform((v) => (v ? v.toUpperCase() : null)),
  mobile: z
    .string()
    .trim()
    .nullish()
    .transform((v) => v || null)
    .refine((v) => v === null || MOBILE_PATTERN.test(v), '请输入正确的 11 位手机号码'),
});

/** ID type and number belong together; a 居民身份证 number must pass GB 11643. */
function checkId(v: { idType: string | null; idNumber: string | null }, ctx: z.RefinementCtx) {
  if (!v.idNumber) return;
  if (!v.idType) {
    ctx.addIssue({ code: 'custom', path: ['idType'], message: '填写证件号时须选择证件类别' });
    return;
  }
  const problem = v.idType === ID_TYPE_RESIDENT ? residentIdProblem(v.idNumber) : OTHER_ID_PATTERN.test(v.idNumber) ? undefined : '证件号只能包含 4–32 位字母、数字或“-”';
  if (problem) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: problem });
}

export const UserCreateBody = PersonFields.extend({
  username: Username,
  /** Leave out to have a compliant password generated and returned once. */
  password: z.string().max(64, '密码长度不能超过 64 位').optional().transform((v) => v || undefined),
  enabled: z.boolean().default(true),
}).superRefine(checkId);

export const UserUpdateBody = PersonFields.superRefine(checkId);

const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const UserListQuery = PageQuery.extend({
  /** People of this organisation… */
  orgId: z.uuid('组织编号格式不正确').optional(),
  /** …and of the organisations below it. */
  includeChildren: queryBool.optional(),
  /** Smart search: name contains, pinyin initials / account prefix, or an exact ID number or mobile. */
  keyword: z.string().trim().max(64).optional(),
  name: z.string().trim().max(50).optional(),
  username: z.string().trim().max(64).optional(),
  gender: z.string().max(16).optional(),
  /** Exact ID number (found through the blind index). */
  idNumber: z.string().trim().max(32).optional(),
  mobile: z.string().trim().max(32).optional(),
  locked: queryBool.optional(),
  enabled: queryBool.optional(),
});

/** A person as lists show them: ID number and mobile masked. */
export const UserItem = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  gender: z.string().nullable(),
  staffNo: z.string().nullable(),
  idType: z.string().nullable(),
  idNumberMasked: z.string().nullable().describe('e.g. 510184********1234'),
  mobileMasked: z.string().nullable().describe('e.g. 138****5678'),
  roles: z.array(z.string()).describe('names of the roles held'),
  enabled: z.boolean(),
  locked: z.boolean().describe('locked by failed logins until lockedUntil'),
  lockedUntil: IsoDateTime.nullable(),
  lastLoginAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type UserItem = z.infer<typeof UserItem>;

/** One person with the ID number and mobile decrypted (for editing). */
export const UserDetail = UserItem.extend({
  idNumber: z.string().nullable(),
  mobile: z.string().nullable(),
  failedLogins: z.number().int(),
  passwordChangeReason: PasswordChangeReason.nullable(),
  passwordChangedAt: IsoDateTime,
});
export type UserDetail = z.infer<typeof UserDetail>;

export const UserCreated = z.object({
  user: UserDetail,
  generatedPassword: z.string().optional().describe('only when the server generated the initial password; shown once'),
});

export const ResetPasswordBody = z.object({
  /** Leave out to have a compliant password generated and returned once. */
  password: z.string().max(64, '密码长度不能超过 64 位').optional().transform((v) => v || undefined),
});
export const ResetPasswordResult = z.object({
  generatedPassword: z.string().optional().describe('only when generated; shown once'),
});

/** A person's id (a UUID: anything else is simply not found). */
export const UserIdParams = z.object({ id: z.uuid('人员编号格式不正确') });

export const MoveUsersBody = BatchBody.extend({ orgId: z.uuid('请选择目标组织') });

/** An organisation in which the caller manages people (the tree on the left of 人员管理). */
export const UserOrgNode = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  level: z.string(),
  enabled: z.boolean(),
  hasChildren: z.boolean(),
  /** Names from the top of the caller's scope down to this node's parent (for search results). */
  trail: z.array(z.string()),
});
export type UserOrgNode = z.infer<typeof UserOrgNode>;

export const UserOrgQuery = z.object({
  /** Children of this organisation; without it, the tops of the caller's scope. */
  parentId: z.uuid().optional(),
  /** Search by name, code or pinyin initials instead (at most 50 hits). */
  keyword: z.string().trim().max(64).optional(),
});

const edit = { access: 'authorized' as const, permission: PERMISSIONS.userEdit, tags: ['system'] };

export const userEndpoints = {
  users: defineEndpoint({
    method: 'GET', path: '/api/system/users', summary: '人员列表（管理范围内；证件号、手机号脱敏）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.userList, query: UserListQuery, response: pageOf(UserItem),
  }),
  userOrgs: defineEndpoint({
    method: 'GET', path: '/api/system/users/orgs', summary: '人员管理的组织树（管理范围内，逐级加载或搜索）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.userList, query: UserOrgQuery, response: z.array(UserOrgNode),
  }),
  user: defineEndpoint({
    ...edit, method: 'GET', path: '/api/system/users/:id', summary: '人员详情（证件号、手机号明文）',
    params: UserIdParams, response: UserDetail,
  }),
  createUser: defineEndpoint({
    ...edit, method: 'POST', path: '/api/system/users', summary: '新增人员（未给出初始密码时生成并仅返回一次）',
    body: UserCreateBody, response: UserCreated,
  }),
  updateUser: defineEndpoint({
    ...edit, method: 'PUT', path: '/api/system/users/:id', summary: '编辑人员（账号不可改）',
    params: UserIdParams, body: UserUpdateBody, response: UserDetail,
  }),
  moveUsers: defineEndpoint({
    ...edit, method: 'POST', path: '/api/system/users/move', summary: '批量更改所属组织',
    body: MoveUsersBody, response: BatchResult,
  }),
  deleteUsers: defineEndpoint({
    ...edit, method: 'POST', path: '/api/system/users/delete', summary: '批量删除人员',
    body: BatchBody, response: BatchResult,
  }),
  enableUsers: defineEndpoint({
    ...edit, method: 'POST', path: '/api/system/users/enable', summary: '批量启用人员',
    body: BatchBody, response: BatchResult,
  }),
  disableUsers: defineEndpoint({
    ...edit, method: 'POST', path: '/api/system/users/disable', summary: '批量禁用人员',
    body: BatchBody, response: BatchResult,
  }),
  unlockUsers: defineEndpoint({
    ...edit, method: 'POST', path: '/api/system/users/unlock', summary: '批量解锁人员（清除登录失败锁定）',
    body: BatchBody, response: BatchResult,
  }),
  resetUserPassword: defineEndpoint({
    method: 'POST', path: '/api/system/users/:id/reset-password', summary: '重置密码（未给出时生成并仅返回一次；下次登录须修改）',
    tags: ['system'], access: 'authorized', permission: PERMISSIONS.userResetPassword,
    params: UserIdParams, body: ResetPasswordBody, response: ResetPasswordResult,
  }),
};
