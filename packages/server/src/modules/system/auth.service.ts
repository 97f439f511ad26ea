import type { PasswordPolicy } from '@cityops/contracts';
import type { AccessVersion } from '../../core/access-version.js';
import { hashPassword, sm2Decrypt, verifyPassword } from '../../core/crypto/sm.js';
import { Forbidden, Invalid, Locked, Unauthenticated } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { SessionStore } from '../../core/session.js';
import type { AccessService } from './access.service.js';
import { passwordRuleBroken } from './password-policy.js';
import type { UserRepository, UserRow } from './user.repository.js';

export interface AuthDeps {
  users: UserRepository;
  access: AccessService;
  sessions: SessionStore;
  policy: PasswordPolicy;
  kdfIterations: number;
  sm2PrivateKey: string;
  now?: () => Date;
  /**
   * Caches who is behind a session, with their permissions, per access version (changes to people and
   * grants bump it) and for a minute at most (grants that expire by time).
   */
  version?: AccessVersion;
}

const fmtTime = (d: Date) =>
  d.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });

export function authService(d: AuthDeps) {
  const now = d.now ?? (() => new Date());
  // Verifying against a throw-away hash keeps an unknown account as slow as a wrong password.
  const decoyHash = hashPassword('decoy-password', d.kdfIterations);

  const reveal = (secret: string, encrypted: boolean) => {
    if (!encrypted) return secret;
    const plain = sm2Decrypt(secret, d.sm2PrivateKey);
    if (plain === undefined) throw new Invalid('密码密文无法解密，请刷新页面后重试', undefined, 'BAD_CIPHERTEXT');
    return plain;
  };

  /** The account behind a session and its permissions as plain data (cacheable): undefined when it is gone or disabled. */
  async function account(userId: string) {
    const row = await d.users.withOrg(userId);
    if (!row || !row.user.enabled) return undefined;
    const { user } = row;
    return {
      id: user.id, username: user.username, name: user.name, orgId: user.orgId, orgName: row.orgName, orgPath: row.orgPath,
      orgLevel: row.orgLevel, orgTags: row.orgTags ?? [],
      passwordChangeReason: changeReason(user), permissions: await d.access.permissionsOf(user.id),
    };
  }

  const changeReason = (u: UserRow): Principal['passwordChangeReason'] => {
    if (u.passwordChangeReason) return u.passwordChangeReason;
    const { expiryDays } = d.policy;
    if (expiryDays > 0 && now().getTime() - u.passwordChangedAt.getTime() > expiryDays * 86_400_000) return 'expired';
    return undefined;
  };

  const lockedMessage = (until: Date) => {
    const minutes = Math.max(1, Math.ceil((until.getTime() - now().getTime()) / 60_000));
    return `账号已锁定，请于 ${fmtTime(until)} 后重试（约 ${minutes} 分钟）`;
  };

  return {
    policy: d.policy,

    async login(username: string, secret: string, encrypted: boolean) {
      const password = reveal(secret, encrypted);
      const user = await d.users.byUsername(username);
      if (!user) {
        verifyPassword(password, decoyHash);
        throw new Unauthenticated('账号或密码错误', 'INVALID_CREDENTIALS');
      }
      if (!user.enabled) throw new Forbidden('账号已停用，请联系管理员', 'ACCOUNT_DISABLED');
      if (user.lockedUntil && user.lockedUntil > now()) throw new Locked(lockedMessage(user.lockedUntil), { lockedUntil: user.lockedUntil.toISOString() });

      if (!verifyPassword(password, user.passwordHash)) {
        const failures = await d.users.addFailure(user.id);
        const { maxFailures, lockMinutes } = d.policy;
        if (failures >= maxFailures) {
          const until = new Date(now().getTime() + lockMinutes * 60_000);
          await d.users.lock(user.id, until);
          throw new Locked(`密码连续错误 ${maxFailures} 次，账号已锁定 ${lockMinutes} 分钟，请于 ${fmtTime(until)} 后重试`, {
            lockedUntil: until.toISOString(),
          });
        }
        throw new Unauthenticated(`账号或密码错误，再错 ${maxFailures - failures} 次账号将被锁定`, 'INVALID_CREDENTIALS');
      }

      await d.users.loginSucceeded(user.id, now());
      const token = await d.sessions.create(user.id);
      const reason = changeReason(user);
      return { user, token, idleTimeoutSeconds: d.sessions.idleSeconds, mustChangePassword: !!reason, reason };
    },

    logout: (token: string) => d.sessions.end(token),

    /** The principal behind a session token, with its permissions (see `version`); undefined when it is no longer valid. */
    async resolve(token: string, touch = true): Promise<Principal | undefined> {
      const session = await d.sessions.resume(token, touch);
      if (!session) return undefined;
      const load = () => account(session.userId);
      const who = d.version ? await d.version.cached(`principal:${session.userId}`, 60, load) : await load();
      if (!who) {
        await d.sessions.end(token);
        return undefined;
      }
      return { ...who, token };
    },

    async changePassword(p: Principal, oldSecret: string, newSecret: string, encrypted: boolean) {
      const oldPassword = reveal(oldSecret, encrypted);
      const newPassword = reveal(newSecret, encrypted);
      const user = await d.users.byUsername(p.username);
      if (!user) throw new Unauthenticated();
      if (!verifyPassword(oldPassword, user.passwordHash)) throw new Invalid('原密码不正确', undefined, 'WRONG_PASSWORD');
      if (oldPassword === newPassword) throw new Invalid('新密码不能与原密码相同', undefined, 'WEAK_PASSWORD');
      const broken = passwordRuleBroken(newPassword, user.username, d.policy);
      if (broken) throw new Invalid(broken, undefined, 'WEAK_PASSWORD');
      await d.users.setPassword(user.id, hashPassword(newPassword, d.kdfIterations), null, now());
      await d.version?.bump();
    },
  };
}
export type AuthService = ReturnType<typeof authService>;
