import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { UserService } from './user.service.js';

const SUBJECT = '人员';

/** 人员管理. The service fills in the names and a summary (ID numbers and mobiles masked) for the operation log. */
export function userRoutes(app: FastifyInstance, d: { users: UserService }) {
  // A request refused before its handler runs (e.g. a malformed body) must not have its body, with a
  // plain ID number or mobile, copied into the operation log: give it a safe note up front.
  route(app, endpoints.users, ({ user, query }) => d.users.list(user, query));

  route(app, endpoints.userOrgs, ({ user, query }) => d.users.orgTree(user, query));

  route(app, endpoints.user, ({ user, params }) => d.users.detail(user, params.id));

  route(app, endpoints.createUser, ({ user, body, req }) => {
    req.audit = { ...req.audit, type: '新增', subjectType: SUBJECT, subjectName: body.username };
    return d.users.create(user, body, req.audit);
  });

  route(app, endpoints.updateUser, ({ user, params, body, req }) => {
    req.audit = { ...req.audit, type: '修改', subjectType: SUBJECT, subjectName: params.id };
    return d.users.update(user, params.id, body, req.audit);
  });

  route(app, endpoints.moveUsers, ({ user, body, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT };
    return d.users.move(user, body.ids, body.orgId, req.audit);
  });

  route(app, endpoints.deleteUsers, ({ user, body, req }) => {
    req.audit = { type: '删除', subjectType: SUBJECT };
    return d.users.remove(user, body.ids, req.audit);
  });

  route(app, endpoints.enableUsers, ({ user, body, req }) => {
    req.audit = { type: '启用', subjectType: SUBJECT };
    return d.users.setEnabled(user, body.ids, true, req.audit);
  });

  route(app, endpoints.disableUsers, ({ user, body, req }) => {
    req.audit = { type: '禁用', subjectType: SUBJECT };
    return d.users.setEnabled(user, body.ids, false, req.audit);
  });

  route(app, endpoints.unlockUsers, ({ user, body, req }) => {
    req.audit = { type: '解锁', subjectType: SUBJECT };
    return d.users.unlock(user, body.ids, req.audit);
  });

  route(app, endpoints.resetUserPassword, ({ user, params, body, req }) => {
    req.audit = { type: '重置密码', subjectType: SUBJECT, subjectName: params.id };
    return d.users.resetPassword(user, params.id, body.password, req.audit);
  });
}
