import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { SESSION_COOKIE } from '../../core/authenticate.js';
import { route } from '../../core/http.js';
import type { AccessService } from './access.service.js';
import type { AuthService } from './auth.service.js';

export function authRoutes(app: FastifyInstance, d: { auth: AuthService; access: AccessService; sm2PublicKey: string; cookieSecure: boolean }) {
  route(app, endpoints.publicKey, async () => ({ algorithm: 'SM2' as const, publicKey: d.sm2PublicKey, cipherMode: 1 as const }));

  route(app, endpoints.passwordPolicy, async () => d.auth.policy);

  route(app, endpoints.login, async ({ body, req, reply }) => {
    req.audit = { type: '登录', username: body.username, content: `账号 ${body.username} 登录` };
    const r = await d.auth.login(body.username, body.password, body.encrypted);
    req.audit.userId = r.user.id;
    reply.setCookie(SESSION_COOKIE, r.token, {
      path: '/', httpOnly: true, sameSite: 'strict', secure: d.cookieSecure,
    });
    return { token: r.token, idleTimeoutSeconds: r.idleTimeoutSeconds, mustChangePassword: r.mustChangePassword, reason: r.reason };
  });

  route(app, endpoints.logout, async ({ user, req, reply }) => {
    req.audit = { type: '登出', content: `账号 ${user.username} 退出登录` };
    await d.auth.logout(user.token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  }, { allowPendingPasswordChange: true });

  route(app, endpoints.me, async ({ user }) => ({
    user: {
      id: user.id, username: user.username, name: user.name, orgId: user.orgId, orgName: user.orgName,
      mustChangePassword: !!user.passwordChangeReason, passwordChangeReason: user.passwordChangeReason,
    },
    permissions: user.permissions,
    menus: user.passwordChangeReason ? [] : await d.access.menusFor(user.permissions),
  }), { allowPendingPasswordChange: true });

  route(app, endpoints.changePassword, async ({ body, user, req }) => {
    req.audit = { type: '修改', subjectType: '人员', subjectName: user.username, content: '修改本人密码' };
    await d.auth.changePassword(user, body.oldPassword, body.newPassword, body.encrypted);
    return { ok: true as const };
  }, { allowPendingPasswordChange: true });
}
