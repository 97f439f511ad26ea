import {
  ID_TYPE_RESIDENT,
  MOBILE_PATTERN,
  OTHER_ID_PATTERN,
  USERNAME_PATTERN,
  residentIdProblem,
  type BatchResult,
  type PasswordPolicy,
  type UserItem,
} from '@cityops/contracts';
import type { FormItemRule } from 'element-plus';
import { api } from '@/api/client';
import type { TableColumn } from '@/components/crud/types';
import { formatDateTime } from '@/utils/format';
import { countCharClasses } from '@/utils/password';

/** Key of this page's saved queries. */
export const SAVED_QUERY_PAGE = 'system.user';

/** The advanced-search conditions (saved as 常用查询, the ID number aside). */
export interface UserAdvancedSearch {
  orgId: string;
  orgName: string;
  includeChildren: boolean;
  name: string;
  username: string;
  gender: string;
  idNumber: string;
  locked: '' | 'true' | 'false';
  enabled: '' | 'true' | 'false';
}

export const createAdvancedSearch = (): UserAdvancedSearch => ({
  orgId: '',
  orgName: '',
  includeChildren: true,
  name: '',
  username: '',
  gender: '',
  idNumber: '',
  locked: '',
  enabled: '',
});

export function fetchUsers(keyword: string, s: UserAdvancedSearch, page: number, pageSize: number) {
  const t = (v: string) => v.trim() || undefined;
  return api.users({
    query: {
      page,
      pageSize,
      keyword: t(keyword),
      orgId: s.orgId || undefined,
      includeChildren: s.orgId ? (s.includeChildren ? 'true' : 'false') : undefined,
      name: t(s.name),
      username: t(s.username),
      gender: s.gender || undefined,
      idNumber: t(s.idNumber),
      locked: s.locked || undefined,
      enabled: s.enabled || undefined,
    },
  });
}

/** Plain-text columns of the people table (tags and buttons are slots in list.vue). */
export const columns: TableColumn<UserItem>[] = [
  { prop: 'name', label: '姓名', minWidth: 96, tooltip: true, fixed: 'left' },
  { prop: 'username', label: '账号', minWidth: 100, tooltip: true },
  { prop: 'gender', label: '性别', width: 56, align: 'center', slot: 'gender' },
  { prop: 'staffNo', label: '工号', width: 80, tooltip: true },
  { prop: 'orgName', label: '所属组织', minWidth: 112, tooltip: true },
  { prop: 'idNumberMasked', label: '证件号', width: 148, slot: 'mono' },
  { prop: 'mobileMasked', label: '手机号', width: 100, slot: 'mono' },
  { prop: 'roles', label: '角色', minWidth: 100, slot: 'roles' },
  { prop: 'enabled', label: '状态', width: 64, align: 'center', slot: 'enabled' },
  { prop: 'locked', label: '锁定', width: 76, align: 'center', slot: 'locked' },
  { prop: 'lastLoginAt', label: '最近登录', width: 136, format: (r) => formatDateTime(r.lastLoginAt).slice(0, 16) },
];

// ----- the add/edit form -----

export interface UserForm {
  username: string;
  name: string;
  orgId: string;
  gender: string;
  staffNo: string;
  idType: string;
  idNumber: string;
  mobile: string;
  passwordMode: 'generate' | 'manual';
  password: string;
  confirmPassword: string;
}

export const createForm = (orgId = ''): UserForm => ({
  username: '',
  name: '',
  orgId,
  gender: '',
  staffNo: '',
  idType: ID_TYPE_RESIDENT,
  idNumber: '',
  mobile: '',
  passwordMode: 'generate',
  password: '',
  confirmPassword: '',
});

type Validator = (rule: unknown, value: string, callback: (error?: Error) => void) => void;
const check = (problem: (value: string) => string | undefined): Validator => (_r, value, callback) => {
  const p = problem(value ?? '');
  callback(p ? new Error(p) : undefined);
};

/** The ID number's problem, as the server sees it (居民身份证: GB 11643 check digit). */
export function idNumberProblem(idType: string, idNumber: string): string | undefined {
  const v = idNumber.trim();
  if (!v) return undefined;
  if (!idType) return '填写证件号时须选择证件类别';
  if (idType === ID_TYPE_RESIDENT) return residentIdProblem(v);
  return OTHER_ID_PATTERN.test(v) ? undefined : '证件号只能包含 4–32 位字母、数字或“-”';
}

/** Rules mirroring the server's (packages/contracts/src/system/user.ts). */
export function formRules(form: UserForm, passwordProblem: (pw: string) => string | undefined): Record<string, FormItemRule[]> {
  return {
    username: [
      { required: true, message: '请输入账号', trigger: 'blur' },
      { validator: check((v) => (USERNAME_PATTERN.test(v.trim()) ? undefined : '账号须为 3–32 位字母、数字或下划线')), trigger: 'blur' },
    ],
    name: [
      { required: true, message: '请输入姓名', trigger: 'blur' },
      { max: 50, message: '姓名不能超过 50 个字符', trigger: 'blur' },
    ],
    orgId: [{ required: true, message: '请选择所属组织', trigger: 'change' }],
    staffNo: [{ max: 32, message: '工号不能超过 32 个字符', trigger: 'blur' }],
    idNumber: [{ validator: check((v) => idNumberProblem(form.idType, v)), trigger: 'blur' }],
    mobile: [
      {
        validator: check((v) => (!v.trim() || MOBILE_PATTERN.test(v.trim()) ? undefined : '请输入正确的 11 位手机号码')),
        trigger: 'blur',
      },
    ],
    password: [
      {
        validator: check((v) => (form.passwordMode !== 'manual' ? undefined : !v ? '请输入初始密码' : passwordProblem(v))),
        trigger: 'blur',
      },
    ],
    confirmPassword: [
      {
        validator: check((v) => (form.passwordMode === 'manual' && v !== form.password ? '两次输入的密码不一致' : undefined)),
        trigger: 'blur',
      },
    ],
  };
}

// ----- batch operations -----

export type BatchAction = 'enable' | 'disable' | 'unlock' | 'delete';

export const BATCH_LABELS: Record<BatchAction, string> = { enable: '启用', disable: '禁用', unlock: '解锁', delete: '删除' };

export function runBatchAction(action: BatchAction, ids: string[]): Promise<BatchResult> {
  const body = { ids };
  if (action === 'enable') return api.enableUsers({ body });
  if (action === 'disable') return api.disableUsers({ body });
  if (action === 'unlock') return api.unlockUsers({ body });
  return api.deleteUsers({ body });
}

/** The first password rule broken, in the server's words (see server password-policy.ts). */
export function passwordProblem(password: string, username: string, p: PasswordPolicy | null): string | undefined {
  const minLength = p?.minLength ?? 8;
  if (password.length < minLength) return `密码长度不能少于 ${minLength} 位`;
  if (password.length > 64) return '密码长度不能超过 64 位';
  const minClasses = p?.minClasses ?? 3;
  const held = countCharClasses(password);
  if (held < minClasses) return `密码须包含大写字母、小写字母、数字、特殊字符中的至少 ${minClasses} 类（当前 ${held} 类）`;
  if ((p?.forbidUsername ?? true) && username && password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含账号名';
  return undefined;
}
