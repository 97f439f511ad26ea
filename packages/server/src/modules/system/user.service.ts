import crypto from 'node:crypto';
import { z } from 'zod';
import {
  BUILTIN_ADMIN_USERNAME,
  DICT,
  SUPER_PERMISSION,
  type BatchResult,
  type PasswordPolicy,
  type UserDetail,
  type UserItem,
  type UserOrgNode,
  UserCreateBody,
  UserListQuery,
  UserOrgQuery,
  UserUpdateBody,
} from '@cityops/contracts';
import { runBatch } from '../../core/batch.js';
import type { Db } from '../../core/db.js';
import { AppError, Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { mask, type FieldCipher } from '../../core/crypto/field.js';
import { hashPassword } from '../../core/crypto/sm.js';
import { pinyinInitials } from '../../core/pinyin.js';
import type { Principal } from '../../core/principal.js';
import type { AuditNote } from '../../core/request-context.js';
import type { DictService } from './dict.service.js';
import { sysOrg } from './org.table.js';
import { passwordRuleBroken } from './password-policy.js';
import { pathInScope, type ScopeService } from './scope.service.js';
import { userOrgRepository } from './user-org.repository.js';
import { userAdminRepository, userRepository, type UserListFilter, type UserRow } from './user.repository.js';
import { isUuid } from '../../core/ids.js';
import { isUniqueViolation } from '../../core/db-errors.js';

export interface UserServiceDeps {
  db: Db;
  scope: ScopeService;
  fields: FieldCipher;
  dicts: DictService;
  policy: PasswordPolicy;
  kdfIterations: number;
}

type ListQuery = z.infer<typeof UserListQuery>;
type CreateBody = z.infer<typeof UserCreateBody>;
type UpdateBody = z.infer<typeof UserUpdateBody>;


/** 510184199001011234 → 510184********1234 (region and last four kept); short numbers keep less. */
export const maskIdNumber = (v: string | null) => (v && v.length >= 15 ? mask(v, 6, 4) : mask(v, 2, 2));
/** 13812345678 → 138****5678. */
export const maskMobile = (v: string | null) => mask(v, 3, 4);

const PASSWORD_SETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '@#$%&*+=?!'];

/** A random password that satisfies the policy: every character class, no look-alike characters. */
export function generatePassword(username: string, policy: PasswordPolicy): string {
  const length = Math.max(12, policy.minLength);
  const all = PASSWORD_SETS.join('');
  const pick = (set: string) => set[crypto.randomInt(set.length)]!;
  for (;;) {
    const chars = [...PASSWORD_SETS.map(pick), ...Array.from({ length: length - PASSWORD_SETS.length }, () => pick(all))];
    for (let i = chars.length - 1; i > 0; i--) {
      const j = crypto.randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const password = chars.join('');
    if (!passwordRuleBroken(password, username, policy)) return password;
  }
}

const isSuper = (p: Principal) => p.permissions.includes(SUPER_PERMISSION);
const outOfScope = (message: string, details: Record<string, unknown>) => new AppError(403, 'OUT_OF_SCOPE', message, details);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const cut = (s: string, max = 200) => (s.length > max ? `${s.slice(0, max)}…` : s);
const who = (u: Pick<UserRow, 'name' | 'username'>) => `${u.name}（${u.username}）`;


/**
 * 人员管理: people of the organisations the caller administers. Every read and write is limited to
 * the caller's admin scope (super administrators: everywhere). ID numbers and mobiles are stored
 * SM4-encrypted with an HMAC-SM3 blind index for exact search, and masked in lists.
 */
export function userService(d: UserServiceDeps) {
  const { db, fields } = d;
  const users = userAdminRepository(db);
  const orgs = userOrgRepository(db);

  const decrypt = (v: string | null) => (v ? fields.decrypt(v) : null);

  const toItem = (u: UserRow, orgName: string | null, locked: boolean, roles: string[]): UserItem => ({
    id: u.id,
    username: u.username,
    name: u.name,
    orgId: u.orgId,
    orgName,
    gender: u.gender,
    staffNo: u.staffNo,
    idType: u.idType,
    idNumberMasked: maskIdNumber(decrypt(u.idNumberCipher)),
    mobileMasked: maskMobile(decrypt(u.mobileCipher)),
    roles,
    enabled: u.enabled,
    locked,
    lockedUntil: locked ? iso(u.lockedUntil) : null,
    lastLoginAt: iso(u.lastLoginAt),
    createdAt: u.createdAt.toISOString(),
  });

  async function detailOf(id: string): Promise<UserDetail> {
    const r = await users.byId(id);
    if (!r) throw new NotFound('人员不存在');
    const roles = (await users.roleNames([id])).get(id) ?? [];
    return {
      ...toItem(r.user, r.orgName, r.locked, roles),
      idNumber: decrypt(r.user.idNumberCipher),
      mobile: decrypt(r.user.mobileCipher),
      failedLogins: r.user.failedLogins,
      passwordChangeReason: r.user.passwordChangeReason ?? null,
      passwordChangedAt: r.user.passwordChangedAt.toISOString(),
    };
  }

  /** The person `id`, if the caller may manage them (in scope; super-role holders only by super admins). */
  async function managed(p: Principal, paths: string[], id: string) {
    if (!isUuid(id)) throw new NotFound('人员不存在');
    const r = await users.byId(id);
    if (!r) throw new NotFound('人员不存在');
    const inScope = paths.includes('/') || (!!r.orgPath && pathInScope(paths, r.orgPath));
    if (!inScope) {
      throw outOfScope(`人员「${r.user.name}」不在您的管理范围内`, { userId: r.user.id, username: r.user.username, orgName: r.orgName });
    }
    if (!isSuper(p) && (await users.holdsSuperRole(id))) throw new Forbidden(`「${r.user.name}」是系统管理员，只有系统管理员可以管理`);
    return r;
  }

  /** The organisation `orgId`, which must exist and lie in the caller's scope. */
  async function targetOrg(paths: string[], orgId: string) {
    const org = await orgs.byId(orgId);
    if (!org) throw new Invalid('所选组织不存在，请刷新后重新选择', [{ path: 'orgId', message: '所选组织不存在' }]);
    if (!pathInScope(paths, org.path)) {
      throw outOfScope(`组织「${org.name}」不在您的管理范围内`, { orgId: org.id, orgName: org.name });
    }
    return org;
  }

  /** Gender and ID type must be keys of their dictionaries (when those have labels). */
  async function checkDictValues(b: { gender: string | null; idType: string | null }) {
    for (const [type, value, label, path] of [
      [DICT.gender, b.gender, '性别', 'gender'],
      [DICT.idType, b.idType, '证件类别', 'idType'],
    ] as const) {
      if (!value) continue;
      const options = await d.dicts.options(type);
      if (options.length && !options.some((o) => o.value === value)) throw new Invalid(`${label}取值无效`, [{ path, message: `${label}取值无效` }]);
    }
  }

  const sensitive = (b: { idNumber: string | null; mobile: string | null }) => ({
    idNumberCipher: b.idNumber ? fields.encrypt(b.idNumber) : null,
    idNumberIndex: b.idNumber ? fields.blindIndex(b.idNumber) : null,
    mobileCipher: b.mobile ? fields.encrypt(b.mobile) : null,
    mobileIndex: b.mobile ? fields.blindIndex(b.mobile) : null,
  });

  /** What the operation log says about a person's fields: never the plain ID number or mobile. */
  const describe = (b: UpdateBody & { username?: string }, orgName?: string) =>
    [
      b.username && `账号：${b.username}`,
      `姓名：${b.name}`,
      orgName && `所属组织：${orgName}`,
      b.gender && `性别：${b.gender}`,
      b.staffNo && `工号：${b.staffNo}`,
      b.idNumber && `证件号：${maskIdNumber(b.idNumber)}`,
      b.mobile && `手机号：${maskMobile(b.mobile)}`,
    ]
      .filter(Boolean)
      .join('；');

  /** Runs one change per person and writes a summary into the operation-log note. */
  async function batch(p: Principal, ids: string[], verb: string, note: AuditNote | undefined, fn: (row: NonNullable<Awaited<ReturnType<typeof users.byId>>>) => Promise<void>): Promise<BatchResult> {
    const paths = await d.scope.adminPaths(p);
    const names: string[] = [];
    const result = await runBatch(ids, async (id) => {
      const r = await managed(p, paths, id);
      names.push(who(r.user));
      await fn(r);
    });
    if (note) {
      note.subjectName = cut(names.join('、') || `${ids.length} 人`);
      const failures = result.results.filter((r) => !r.ok).map((r) => r.message);
      note.content = cut(`${verb}：成功 ${result.succeeded} 人，失败 ${result.failed} 人${failures.length ? `（${failures.join('；')}）` : ''}`, 1000);
    }
    return result;
  }

  return {
    async list(p: Principal, q: ListQuery) {
      const paths = await d.scope.adminPaths(p);
      const filter: UserListFilter = { scope: d.scope.adminCondition(paths, sysOrg.path) };
      if (q.orgId) {
        const org = await orgs.byId(q.orgId);
        if (!org) throw new NotFound('组织机构不存在');
        if (!pathInScope(paths, org.path)) throw outOfScope(`组织「${org.name}」不在您的管理范围内`, { orgId: org.id, orgName: org.name });
        if (q.includeChildren) filter.orgPathPrefix = org.path;
        else filter.orgId = org.id;
      }
      if (q.keyword) filter.keyword = { text: q.keyword, index: fields.blindIndex(q.keyword) };
      if (q.name) filter.name = q.name;
      if (q.username) filter.username = q.username;
      if (q.gender) filter.gender = q.gender;
      if (q.idNumber) filter.idNumberIndex = fields.blindIndex(q.idNumber);
      if (q.mobile) filter.mobileIndex = fields.blindIndex(q.mobile);
      if (q.locked !== undefined) filter.locked = q.locked;
      if (q.enabled !== undefined) filter.enabled = q.enabled;

      const { rows, total } = await users.list(filter, q.page, q.pageSize);
      const roles = await users.roleNames(rows.map((r) => r.user.id));
      return {
        items: rows.map((r) => toItem(r.user, r.orgName, r.locked, roles.get(r.user.id) ?? [])),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },

    /** The organisation tree of 人员管理: the caller's scope only. */
    async orgTree(p: Principal, q: z.infer<typeof UserOrgQuery>): Promise<UserOrgNode[]> {
      const paths = await d.scope.adminPaths(p);
      const scope = d.scope.adminCondition(paths, sysOrg.path);
      // The tops of the scope: paths not lying below another path of the scope.
      const tops = paths.filter((a) => !paths.some((b) => b !== a && a.startsWith(b)));
      let rows;
      if (q.keyword) rows = await orgs.search(q.keyword, scope);
      else if (q.parentId) {
        const parent = await orgs.byId(q.parentId);
        if (!parent) throw new NotFound('组织机构不存在');
        if (!pathInScope(paths, parent.path)) throw outOfScope(`组织「${parent.name}」不在您的管理范围内`, { orgId: parent.id, orgName: parent.name });
        rows = await orgs.children(q.parentId, scope);
      } else rows = await orgs.atPaths(tops);

      // Trail: the names of the ancestors inside the scope (for search hits).
      const ancestorsOf = (path: string) => {
        const top = tops.find((t) => path.startsWith(t)) ?? path;
        const base = top === '/' ? [] : top.split('/').filter(Boolean).slice(0, -1);
        return path.split('/').filter(Boolean).slice(base.length, -1);
      };
      const names = q.keyword ? await orgs.names([...new Set(rows.flatMap((r) => ancestorsOf(r.path)))]) : new Map<string, string>();
      return rows.map((r) => ({
        id: r.id,
        parentId: r.parentId,
        name: r.name,
        level: r.level,
        enabled: r.enabled,
        hasChildren: r.hasChildren,
        trail: q.keyword ? ancestorsOf(r.path).map((id) => names.get(id) ?? '') : [],
      }));
    },

    async detail(p: Principal, id: string) {
      await managed(p, await d.scope.adminPaths(p), id);
      return detailOf(id);
    },

    async create(p: Principal, b: CreateBody, note?: AuditNote) {
      if (note) Object.assign(note, { subjectName: who(b), content: `新增人员 ${describe(b)}` });
      const paths = await d.scope.adminPaths(p);
      const org = await targetOrg(paths, b.orgId);
      await checkDictValues(b);
      if (await users.usernameTaken(b.username)) throw new Conflict(`账号「${b.username}」已存在，请换一个账号`, { field: 'username' });
      let generatedPassword: string | undefined;
      const password = b.password ?? (generatedPassword = generatePassword(b.username, d.policy));
      const broken = passwordRuleBroken(password, b.username, d.policy);
      if (broken) throw new Invalid(`初始密码不符合要求：${broken}`, [{ path: 'password', message: broken }], 'WEAK_PASSWORD');

      let row: UserRow;
      try {
        row = await userRepository(db).insert({
          username: b.username,
          name: b.name,
          orgId: org.id,
          gender: b.gender,
          staffNo: b.staffNo,
          idType: b.idType,
          ...sensitive(b),
          pinyin: pinyinInitials(b.name),
          passwordHash: hashPassword(password, d.kdfIterations),
          passwordChangeReason: 'initial',
          enabled: b.enabled,
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new Conflict(`账号「${b.username}」已存在，请换一个账号`, { field: 'username' });
        throw err;
      }
      if (note) note.content = `新增人员 ${describe(b, org.name)}；初始密码：${generatedPassword ? '系统生成' : '管理员设定'}`;
      return { user: await detailOf(row.id), ...(generatedPassword ? { generatedPassword } : {}) };
    },

    async update(p: Principal, id: string, b: UpdateBody, note?: AuditNote) {
      if (note) note.content = `编辑人员 ${describe(b)}`;
      const paths = await d.scope.adminPaths(p);
      const current = await managed(p, paths, id);
      if (note) note.subjectName = who(current.user);
      const org = b.orgId === current.user.orgId ? { id: b.orgId, name: current.orgName ?? '' } : await targetOrg(paths, b.orgId);
      await checkDictValues(b);
      await users.update(id, {
        name: b.name,
        orgId: org.id,
        gender: b.gender,
        staffNo: b.staffNo,
        idType: b.idType,
        ...sensitive(b),
        pinyin: pinyinInitials(b.name),
      });
      if (note) note.content = `编辑人员 ${describe(b, org.name)}`;
      return detailOf(id);
    },

    async move(p: Principal, ids: string[], orgId: string, note?: AuditNote) {
      const org = await targetOrg(await d.scope.adminPaths(p), orgId);
      const result = await batch(p, ids, `批量更改人员所属组织至「${org.name}」`, note, async ({ user }) => {
        if (user.orgId !== org.id) await users.update(user.id, { orgId: org.id });
      });
      return result;
    },

    remove(p: Principal, ids: string[], note?: AuditNote) {
      return batch(p, ids, '批量删除人员', note, async ({ user }) => {
        if (user.id === p.id) throw new Invalid('不能删除当前登录的账号');
        if (user.username === BUILTIN_ADMIN_USERNAME) throw new Invalid('内置管理员账号 admin 不能删除');
        await db.transaction(async (tx) => userAdminRepository(tx).remove(user.id));
      });
    },

    setEnabled(p: Principal, ids: string[], enabled: boolean, note?: AuditNote) {
      return batch(p, ids, enabled ? '批量启用人员' : '批量禁用人员', note, async ({ user }) => {
        if (!enabled && user.id === p.id) throw new Invalid('不能禁用当前登录的账号');
        if (!enabled && user.username === BUILTIN_ADMIN_USERNAME) throw new Invalid('内置管理员账号 admin 不能禁用');
        if (user.enabled !== enabled) await users.update(user.id, { enabled });
      });
    },

    unlock(p: Principal, ids: string[], note?: AuditNote) {
      return batch(p, ids, '批量解锁人员', note, async ({ user }) => users.unlock(user.id));
    },

    /** Sets a new password (given, or generated and returned once) that must be changed at the next login; also lifts a lock. */
    async resetPassword(p: Principal, id: string, given: string | undefined, note?: AuditNote) {
      const { user } = await managed(p, await d.scope.adminPaths(p), id);
      if (note) note.subjectName = who(user);
      const password = given ?? generatePassword(user.username, d.policy);
      const broken = passwordRuleBroken(password, user.username, d.policy);
      if (broken) throw new Invalid(`新密码不符合要求：${broken}`, [{ path: 'password', message: broken }], 'WEAK_PASSWORD');
      await db.transaction(async (tx) => {
        await userRepository(tx).setPassword(user.id, hashPassword(password, d.kdfIterations), 'reset', new Date());
        await userAdminRepository(tx).unlock(user.id);
      });
      if (note) note.content = `重置 ${who(user)} 的密码（${given ? '管理员设定' : '系统生成'}），下次登录须修改`;
      return given ? {} : { generatedPassword: password };
    },
  };
}
export type UserService = ReturnType<typeof userService>;
