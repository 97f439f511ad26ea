import type { FastifyInstance } from 'fastify';
import { roleEndpointSets, roleExtraEndpoints as x, type RoleKind } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { RoleService } from './role.service.js';

const GROUP = '角色分组';

/** 角色权限 and 管理员权限: the same routes for both kinds, each under its own paths and permissions. */
export function roleRoutes(app: FastifyInstance, d: { roles: RoleService }) {
  const s = d.roles;
  for (const kind of ['role', 'admin'] as const satisfies RoleKind[]) {
    const e = roleEndpointSets[kind];
    const SUBJECT = kind === 'admin' ? '管理员角色' : '角色';

    route(app, e.groups, () => s.groups(kind));
    route(app, e.groupCreate, ({ body, req }) => {
      req.audit = { type: '新增', subjectType: GROUP, subjectName: body.name };
      return s.createGroup(body);
    });
    route(app, e.groupUpdate, async ({ params, body, req }) => {
      req.audit = { type: '修改', subjectType: GROUP, subjectName: (await s.groupName(params.id)) ?? body.name, content: `名称：${body.name}；排序：${body.sort}` };
      return s.updateGroup(kind, params.id, body);
    });
    route(app, e.groupDelete, async ({ params, req }) => {
      req.audit = { type: '删除', subjectType: GROUP, subjectName: (await s.groupName(params.id)) ?? params.id };
      await s.deleteGroup(params.id);
      return { ok: true as const };
    });

    route(app, e.list, ({ query, user }) => s.list(user, kind, query));
    route(app, e.create, ({ body, user, req }) => {
      req.audit = { type: '新增', subjectType: SUBJECT, subjectName: `${body.name}（${body.code}）` };
      return s.create(user, kind, body);
    });
    route(app, e.update, async ({ params, body, user, req }) => {
      req.audit = { type: '修改', subjectType: SUBJECT, subjectName: (await s.namesOf([params.id])) || body.name };
      return s.update(user, kind, params.id, body);
    });
    route(app, e.copy, async ({ params, body, user, req }) => {
      req.audit = {
        type: '新增', subjectType: SUBJECT, subjectName: `${body.name}（${body.code}）`,
        content: `复制自「${(await s.namesOf([params.id])) || params.id}」（含授权、管理范围与分组，不含人员）`,
      };
      return s.copy(user, kind, params.id, body);
    });
    route(app, e.enable, async ({ body, user, req }) => {
      req.audit = { type: '启用', subjectType: SUBJECT, subjectName: await s.namesOf(body.ids) };
      return s.setEnabled(user, kind, body.ids, true);
    });
    route(app, e.disable, async ({ body, user, req }) => {
      req.audit = { type: '禁用', subjectType: SUBJECT, subjectName: await s.namesOf(body.ids) };
      return s.setEnabled(user, kind, body.ids, false);
    });
    route(app, e.remove, async ({ body, user, req }) => {
      req.audit = { type: '删除', subjectType: SUBJECT, subjectName: await s.namesOf(body.ids) };
      return s.remove(user, kind, body.ids);
    });

    route(app, e.resourceTree, () => s.resourceTree());
    route(app, e.grants, ({ params, user }) => s.grants(user, kind, params.id));
    route(app, e.setGrants, async ({ params, body, user, req }) => {
      req.audit = {
        type: '授权', subjectType: SUBJECT, subjectName: (await s.namesOf([params.id])) || params.id,
        content: `设置功能授权：${await s.resourceNames(body.grants.map((g) => g.resourceId))}`,
      };
      await s.setGrants(user, kind, params.id, body.grants);
      return { ok: true as const };
    });
    route(app, e.batchGrant, async ({ body, user, req }) => {
      req.audit = {
        type: '授权', subjectType: body.groupId ? GROUP : SUBJECT,
        subjectName: body.groupId ? ((await s.groupName(body.groupId)) ?? body.groupId) : await s.namesOf(body.roleIds ?? []),
        content: `批量授权：${await s.resourceNames(body.resourceIds)}${body.expiresAt ? `；有效期至 ${body.expiresAt}` : '；永久'}`,
      };
      return s.batchGrant(user, kind, body);
    });
    route(app, e.batchRevoke, async ({ body, user, req }) => {
      req.audit = {
        type: '授权', subjectType: body.groupId ? GROUP : SUBJECT,
        subjectName: body.groupId ? ((await s.groupName(body.groupId)) ?? body.groupId) : await s.namesOf(body.roleIds ?? []),
        content: `授权收回：${await s.resourceNames(body.resourceIds)}`,
      };
      return s.batchRevoke(user, kind, body);
    });

    route(app, e.members, async ({ params, query, user }) => {
      const { role: _, ...page } = await s.members(user, kind, params.id, query);
      return page;
    });
    route(app, e.addMembers, async ({ params, body, user, req }) => {
      req.audit = {
        type: '授权', subjectType: SUBJECT, subjectName: (await s.namesOf([params.id])) || params.id,
        content: body.orgId
          ? `按组织添加人员：${await s.orgNames([body.orgId])}${body.includeChildren ? '（含下级组织）' : ''}`
          : `添加人员：${await s.userNames(body.userIds ?? [])}`,
      };
      const { affected } = await s.addMembers(user, kind, params.id, body);
      return { affected };
    });
    route(app, e.removeMembers, async ({ params, body, user, req }) => {
      req.audit = {
        type: '授权', subjectType: SUBJECT, subjectName: (await s.namesOf([params.id])) || params.id,
        content: `移除人员：${await s.userNames(body.userIds)}`,
      };
      const { affected } = await s.removeMembers(user, kind, params.id, body.userIds);
      return { affected };
    });
    route(app, e.people, ({ query, user }) => s.people(user, query));
    route(app, e.orgOptions, ({ user }) => s.orgOptions(user));
  }

  route(app, x.adminRoleSetScope, async ({ params, body, user, req }) => {
    req.audit = {
      type: '授权', subjectType: '管理员角色', subjectName: (await s.namesOf([params.id])) || params.id,
      content: `设置管理范围：${(await s.orgNames(body.orgIds)) || '（无）'}`,
    };
    await s.setScope(user, params.id, body.orgIds);
    return { ok: true as const };
  });

  route(app, x.roleAssignOptions, ({ user }) => s.assignOptions(user));
  route(app, x.roleAssign, async ({ body, user, req }) => {
    req.audit = {
      type: '授权', subjectType: '人员', subjectName: await s.userNames(body.userIds),
      content: `分配角色：${await s.namesOf(body.roleIds)}`,
    };
    const { affected } = await s.assign(user, body, true);
    return { affected };
  });
  route(app, x.roleUnassign, async ({ body, user, req }) => {
    req.audit = {
      type: '授权', subjectType: '人员', subjectName: await s.userNames(body.userIds),
      content: `移除角色：${await s.namesOf(body.roleIds)}`,
    };
    const { affected } = await s.assign(user, body, false);
    return { affected };
  });
}
