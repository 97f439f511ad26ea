import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { BatchBody, BatchResult, IsoDateTime, Ok, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS } from '../permissions.js';

/**
 * Roles 角色权限 and admin roles 管理员权限. Both are rows of the same table; an admin role
 * (isAdmin) also carries an organisation scope. Each kind has its own set of endpoints (same shapes,
 * different paths and permission codes), so the route guard alone decides who may call what.
 */

/** Ids are UUIDs: checked here so that a malformed id is a 400, not a database error. */
export const RoleUuid = z.guid('标识格式不正确');
export const RoleIdParams = z.object({ id: RoleUuid });

export const RoleKind = z.enum(['role', 'admin']);
export type RoleKind = z.infer<typeof RoleKind>;

// ---------------------------------------------------------------------------------------------
// groups

export const RoleGroup = z.object({
  id: z.string(),
  name: z.string(),
  sort: z.number().int(),
  /** Roles of this page's kind in the group. */
  roleCount: z.number().int(),
});
export type RoleGroup = z.infer<typeof RoleGroup>;

export const RoleGroupBody = z.object({
  name: z.string().trim().min(1, '请输入分组名称').max(50, '分组名称不能超过 50 个字'),
  sort: z.number().int().min(0, '排序号不能小于 0').max(99999, '排序号不能大于 99999').default(0),
});
export type RoleGroupBody = z.infer<typeof RoleGroupBody>;

// ---------------------------------------------------------------------------------------------
// roles

export const RoleOrgRef = z.object({ id: z.string(), name: z.string() });

export const Role = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  /** 所属组织 (null: a platform-wide role). */
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  visibleToChildren: z.boolean(),
  validFrom: IsoDateTime.nullable(),
  validTo: IsoDateTime.nullable(),
  description: z.string().nullable(),
  isSuper: z.boolean(),
  isAdmin: z.boolean(),
  builtin: z.boolean(),
  enabled: z.boolean(),
  memberCount: z.number().int(),
  /** 管理范围 of an admin role (each organisation and everything below it); empty for other roles. */
  scopeOrgs: z.array(RoleOrgRef),
  createdAt: IsoDateTime,
});
export type Role = z.infer<typeof Role>;

export const RoleQuery = PageQuery.extend({
  /** A group id, or 'none' for roles without a group. */
  groupId: z.union([RoleUuid, z.literal('none')]).optional(),
  /** Matches the name or the code. */
  keyword: z.string().trim().max(64).optional(),
  enabled: z.enum(['true', 'false']).optional(),
});
export type RoleQuery = z.input<typeof RoleQuery>;

const RoleCode = z
  .string()
  .trim()
  .min(2, '角色编码至少 2 个字符')
  .max(64, '角色编码不能超过 64 个字符')
  .regex(/^[A-Za-z][A-Za-z0-9_:-]*$/, '角色编码须以字母开头，只能包含字母、数字、下划线、短横线和冒号');
const RoleName = z.string().trim().min(1, '请输入角色名称').max(50, '角色名称不能超过 50 个字');

export const RoleBody = z
  .object({
    code: RoleCode,
    name: RoleName,
    groupId: RoleUuid.nullable().default(null),
    orgId: RoleUuid.nullable().default(null),
    visibleToChildren: z.boolean().default(false),
    /** Validity period; null ends mean "from now" / "for ever". */
    validFrom: IsoDateTime.nullable().default(null),
    validTo: IsoDateTime.nullable().default(null),
    description: z.string().trim().max(200, '角色描述不能超过 200 个字').nullable().default(null),
  })
  .refine((b) => !b.validFrom || !b.validTo || new Date(b.validTo) > new Date(b.validFrom), {
    path: ['validTo'],
    message: '有效期结束时间须晚于开始时间',
  });
export type RoleBody = z.input<typeof RoleBody>;

export const RoleCopyBody = z.object({ code: RoleCode, name: RoleName });
export type RoleCopyBody = z.infer<typeof RoleCopyBody>;

// ---------------------------------------------------------------------------------------------
// grants of function resources

export interface RoleResourceNode {
  id: string;
  name: string;
  code: string;
  type: 'directory' | 'menu' | 'button';
  permission: string | null;
  route: string | null;
  children: RoleResourceNode[];
}
export const RoleResourceNode: z.ZodType<RoleResourceNode> = z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    code: z.string(),
    type: z.enum(['directory', 'menu', 'button']),
    permission: z.string().nullable(),
    route: z.string().nullable(),
    children: z.array(RoleResourceNode),
  }),
);

/** One function granted to a role; expiresAt null = for ever (永久). */
export const RoleGrant = z.object({ resourceId: RoleUuid, expiresAt: IsoDateTime.nullable() });
export type RoleGrant = z.infer<typeof RoleGrant>;

export const RoleGrantsBody = z.object({
  grants: z
    .array(z.object({ resourceId: RoleUuid, expiresAt: IsoDateTime.nullable().default(null) }))
    .max(2000, '一次最多授权 2000 项功能'),
});
export type RoleGrantsBody = z.input<typeof RoleGrantsBody>;

const ResourceIds = z.array(RoleUuid).min(1, '请至少选择一项功能').max(2000, '一次最多选择 2000 项功能');
const Target = {
  /** The roles to change… */
  roleIds: z.array(RoleUuid).min(1, '请至少选择一个角色').max(1000, '一次最多处理 1000 个角色').optional(),
  /** …or every role (of this kind) in a group (以组为单位授权). */
  groupId: RoleUuid.optional(),
};
const oneTarget = (b: { roleIds?: string[]; groupId?: string }) => !!b.roleIds !== !!b.groupId;

/** 批量授权: add these functions to several roles (an existing grant takes the new expiry). */
export const RoleBatchGrantBody = z
  .object({ ...Target, resourceIds: ResourceIds, expiresAt: IsoDateTime.nullable().default(null) })
  .refine(oneTarget, { message: '请选择角色或角色分组（二选一）', path: ['roleIds'] });
export type RoleBatchGrantBody = z.input<typeof RoleBatchGrantBody>;

/** 批量授权收回: remove these functions from several roles. */
export const RoleBatchRevokeBody = z
  .object({ ...Target, resourceIds: ResourceIds })
  .refine(oneTarget, { message: '请选择角色或角色分组（二选一）', path: ['roleIds'] });
export type RoleBatchRevokeBody = z.input<typeof RoleBatchRevokeBody>;

// ---------------------------------------------------------------------------------------------
// members (角色维度) and people (人员维度)

export const RoleBrief = z.object({ id: z.string(), name: z.string(), isAdmin: z.boolean() });

export const RoleMember = z.object({
  id: z.string().describe('user id'),
  username: z.string(),
  name: z.string(),
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  enabled: z.boolean(),
});
export type RoleMember = z.infer<typeof RoleMember>;

export const RolePerson = RoleMember.extend({ roles: z.array(RoleBrief) });
export type RolePerson = z.infer<typeof RolePerson>;

export const RoleMemberQuery = PageQuery.extend({
  /** Name, account or pinyin initials. */
  keyword: z.string().trim().max(64).optional(),
});

export const RolePeopleQuery = PageQuery.extend({
  /** Name, account, pinyin initials, or an exact ID number (证件号). */
  keyword: z.string().trim().max(64).optional(),
  orgId: RoleUuid.optional(),
  /** With orgId: the organisation's descendants too. */
  includeChildren: z.enum(['true', 'false']).default('true'),
});
export type RolePeopleQuery = z.input<typeof RolePeopleQuery>;

const UserIds = z.array(RoleUuid).min(1, '请至少选择一个人员').max(1000, '一次最多处理 1000 个人员');

/** Add people to a role: the chosen people, or 按组织一键添加 every person of an organisation. */
export const RoleAddMembersBody = z
  .object({
    userIds: UserIds.optional(),
    orgId: RoleUuid.optional(),
    includeChildren: z.boolean().default(false),
  })
  .refine((b) => !!b.userIds !== !!b.orgId, { message: '请选择人员或组织（二选一）', path: ['userIds'] });
export type RoleAddMembersBody = z.input<typeof RoleAddMembersBody>;

export const RoleRemoveMembersBody = z.object({ userIds: UserIds });

/** How many rows a member change touched (already present / absent rows are not counted). */
export const RoleAffected = z.object({ affected: z.number().int() });

export const RoleAssignBody = z.object({
  userIds: UserIds,
  roleIds: z.array(RoleUuid).min(1, '请至少选择一个角色').max(200, '一次最多选择 200 个角色'),
});
export type RoleAssignBody = z.infer<typeof RoleAssignBody>;

/** A role as offered for assignment (人员维度). */
export const RoleOption = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  groupName: z.string().nullable(),
  orgName: z.string().nullable(),
  isAdmin: z.boolean(),
  enabled: z.boolean(),
});
export type RoleOption = z.infer<typeof RoleOption>;

/** An organisation for the pickers of these pages (flat; the page builds the tree from parentId). */
export const RoleOrgOption = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  level: z.string(),
  enabled: z.boolean(),
});
export type RoleOrgOption = z.infer<typeof RoleOrgOption>;

export const RoleScopeBody = z.object({
  orgIds: z.array(RoleUuid).max(500, '管理范围最多 500 个组织'),
});

// ---------------------------------------------------------------------------------------------
// endpoints

interface KindSpec {
  base: string;
  groups: string;
  tag: string;
  what: string;
  list: string;
  edit: string;
  grant: string;
}

/** The endpoints of one kind of role (ordinary / admin). */
function kindEndpoints(k: KindSpec) {
  const tags = [k.tag];
  const list = { access: 'authorized' as const, permission: k.list, tags };
  const edit = { access: 'authorized' as const, permission: k.edit, tags };
  const grant = { access: 'authorized' as const, permission: k.grant, tags };
  return {
    groups: defineEndpoint({ ...list, method: 'GET', path: k.groups, summary: `${k.what}分组列表`, response: z.array(RoleGroup) }),
    groupCreate: defineEndpoint({ ...edit, method: 'POST', path: k.groups, summary: `新增${k.what}分组`, body: RoleGroupBody, response: RoleGroup }),
    groupUpdate: defineEndpoint({
      ...edit, method: 'PUT', path: `${k.groups}/:id`, summary: `修改${k.what}分组`, params: RoleIdParams, body: RoleGroupBody, response: RoleGroup,
    }),
    groupDelete: defineEndpoint({
      ...edit, method: 'DELETE', path: `${k.groups}/:id`, summary: `删除${k.what}分组（组内仍有角色时拒绝）`, params: RoleIdParams, response: Ok,
    }),

    list: defineEndpoint({ ...list, method: 'GET', path: k.base, summary: `${k.what}列表（分页）`, query: RoleQuery, response: pageOf(Role) }),
    create: defineEndpoint({ ...edit, method: 'POST', path: k.base, summary: `新增${k.what}`, body: RoleBody, response: Role }),
    update: defineEndpoint({ ...edit, method: 'PUT', path: `${k.base}/:id`, summary: `修改${k.what}`, params: RoleIdParams, body: RoleBody, response: Role }),
    copy: defineEndpoint({
      ...edit, method: 'POST', path: `${k.base}/:id/copy`, summary: `复制${k.what}（含授权、管理范围与分组，不含人员）`,
      params: RoleIdParams, body: RoleCopyBody, response: Role,
    }),
    enable: defineEndpoint({ ...edit, method: 'POST', path: `${k.base}/batch/enable`, summary: `批量启用${k.what}`, body: BatchBody, response: BatchResult }),
    disable: defineEndpoint({ ...edit, method: 'POST', path: `${k.base}/batch/disable`, summary: `批量禁用${k.what}`, body: BatchBody, response: BatchResult }),
    remove: defineEndpoint({
      ...edit, method: 'POST', path: `${k.base}/batch/delete`, summary: `批量删除${k.what}（内置角色、仍有人员的角色不能删除）`, body: BatchBody, response: BatchResult,
    }),

    resourceTree: defineEndpoint({
      ...grant, method: 'GET', path: `${k.base}/resource-tree`, summary: '可授权的功能资源树（目录、页面、按钮）', response: z.array(RoleResourceNode),
    }),
    grants: defineEndpoint({
      ...grant, method: 'GET', path: `${k.base}/:id/grants`, summary: `${k.what}已授权的功能（含各自有效期）`, params: RoleIdParams, response: z.array(RoleGrant),
    }),
    setGrants: defineEndpoint({
      ...grant, method: 'PUT', path: `${k.base}/:id/grants`, summary: `设置${k.what}的功能授权（整体替换）`, params: RoleIdParams, body: RoleGrantsBody, response: Ok,
    }),
    batchGrant: defineEndpoint({
      ...grant, method: 'POST', path: `${k.base}/grant`, summary: `批量授权（多个${k.what}或整个分组）`, body: RoleBatchGrantBody, response: BatchResult,
    }),
    batchRevoke: defineEndpoint({
      ...grant, method: 'POST', path: `${k.base}/revoke`, summary: `批量授权收回（多个${k.what}或整个分组）`, body: RoleBatchRevokeBody, response: BatchResult,
    }),

    members: defineEndpoint({
      ...grant, method: 'GET', path: `${k.base}/:id/members`, summary: `${k.what}的人员（分页）`, params: RoleIdParams, query: RoleMemberQuery, response: pageOf(RoleMember),
    }),
    addMembers: defineEndpoint({
      ...grant, method: 'POST', path: `${k.base}/:id/members`, summary: `为${k.what}添加人员（所选人员，或按组织一键添加）`,
      params: RoleIdParams, body: RoleAddMembersBody, response: RoleAffected,
    }),
    removeMembers: defineEndpoint({
      ...grant, method: 'POST', path: `${k.base}/:id/members/remove`, summary: `从${k.what}批量移除人员`, params: RoleIdParams, body: RoleRemoveMembersBody, response: RoleAffected,
    }),
    people: defineEndpoint({
      ...grant, method: 'GET', path: `${k.base}/people`, summary: '可管理的人员（按组织、姓名/账号/证件号检索），含其角色',
      query: RolePeopleQuery, response: pageOf(RolePerson),
    }),
    orgOptions: defineEndpoint({
      ...list, method: 'GET', path: `${k.base}/org-options`, summary: '可选的组织机构（超级管理员为全部，其他管理员为其管理范围）', response: z.array(RoleOrgOption),
    }),
  };
}

const P = PERMISSIONS;
export const roleEndpointSets = {
  role: kindEndpoints({
    base: '/api/system/roles', groups: '/api/system/role-groups', tag: 'system', what: '角色',
    list: P.roleList, edit: P.roleEdit, grant: P.roleGrant,
  }),
  admin: kindEndpoints({
    base: '/api/system/admin-roles', groups: '/api/system/admin-role-groups', tag: 'system', what: '管理员角色',
    list: P.adminRoleList, edit: P.adminRoleEdit, grant: P.adminRoleEdit,
  }),
};
export type RoleEndpointSet = (typeof roleEndpointSets)['role'];

/** 管理范围 of admin roles, and 人员维度 assignment. */
export const roleExtraEndpoints = {
  adminRoleSetScope: defineEndpoint({
    method: 'PUT', path: '/api/system/admin-roles/:id/scope', summary: '设置管理员角色的管理范围（每个组织含其全部下级）', tags: ['system'],
    access: 'authorized', permission: P.adminRoleEdit, params: RoleIdParams, body: RoleScopeBody, response: Ok,
  }),
  roleAssignOptions: defineEndpoint({
    method: 'GET', path: '/api/system/role-assignments/roles', summary: '人员维度：当前用户可分配的角色', tags: ['system'],
    access: 'authorized', permission: P.roleGrant, response: z.array(RoleOption),
  }),
  roleAssign: defineEndpoint({
    method: 'POST', path: '/api/system/role-assignments/assign', summary: '人员维度：为多个人员分配多个角色', tags: ['system'],
    access: 'authorized', permission: P.roleGrant, body: RoleAssignBody, response: RoleAffected,
  }),
  roleUnassign: defineEndpoint({
    method: 'POST', path: '/api/system/role-assignments/remove', summary: '人员维度：为多个人员移除多个角色', tags: ['system'],
    access: 'authorized', permission: P.roleGrant, body: RoleAssignBody, response: RoleAffected,
  }),
};

const prefixed = <S extends Record<string, unknown>, Pre extends string>(pre: Pre, set: S) =>
  Object.fromEntries(Object.entries(set).map(([k, v]) => [`${pre}${k[0]!.toUpperCase()}${k.slice(1)}`, v])) as {
    [K in keyof S & string as `${Pre}${Capitalize<K>}`]: S[K];
  };

/** Every role endpoint by name: `roleList`, `roleCreate`…, `adminRoleList`…, `roleAssign`… */
export const roleEndpoints = {
  ...prefixed('role', roleEndpointSets.role),
  ...prefixed('adminRole', roleEndpointSets.admin),
  ...roleExtraEndpoints,
};
