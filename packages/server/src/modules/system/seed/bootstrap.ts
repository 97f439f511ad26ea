import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../../core/db.js';
import { hashPassword } from '../../../core/crypto/sm.js';
import { accessRepository } from '../access.repository.js';
import { userRepository } from '../user.repository.js';
import { BUILTIN_RESOURCES, BUILTIN_ROLES, type ResourceSeed } from './resources.js';

/**
 * Menus and roles on every start: missing built-in resources are added (an administrator's edits to
 * existing ones are kept, see ensureBuiltinResource); grants are only ever added.
 */
export async function seedAccess(db: Db) {
  await db.transaction(async (tx) => {
    const repo = accessRepository(tx);
    const ids = new Map<string, string>();
    const walk = async (list: ResourceSeed[], parentId: string | null) => {
      for (const [i, r] of list.entries()) {
        const id = await repo.ensureBuiltinResource({
          code: r.code, name: r.name, type: r.type, parentId, route: r.route ?? null, icon: r.icon ?? null,
          serviceUrl: r.serviceUrl ?? null, builtin: true,
          sort: (i + 1) * 10, access: r.access ?? (r.type === 'directory' ? 'authenticated' : 'authorized'),
          permission: r.permission ?? null,
        });
        ids.set(r.code, id);
        if (r.children) await walk(r.children, id);
      }
    };
    await walk(BUILTIN_RESOURCES, null);
    for (const role of BUILTIN_ROLES) {
      const roleId = await repo.upsertRole(role);
      await repo.grantResources(roleId, role.resources.map((c) => ids.get(c)!));
    }
  });
}

/**
 * On an empty database: the `admin` account, with ADMIN_INITIAL_PASSWORD or a random password that
 * is printed once and written to DATA_DIR/initial-admin-password. Either must be changed at first login.
 */
export async function seedAdmin(db: Db, o: { dataDir: string; initialPassword?: string; kdfIterations: number; log: FastifyBaseLogger }) {
  const users = userRepository(db);
  if (await users.exists('admin')) return false;
  const password = o.initialPassword || `Cz${crypto.randomBytes(9).toString('base64url')}#1`;
  const admin = await users.insert({
    username: 'admin', name: '系统管理员', passwordHash: hashPassword(password, o.kdfIterations), passwordChangeReason: 'initial',
  });
  const roles = await accessRepository(db).roleIdsByCode();
  await users.grantRoles(admin.id, [roles.get('admin')!]);
  if (!o.initialPassword) {
    fs.mkdirSync(o.dataDir, { recursive: true });
    const file = path.join(o.dataDir, 'initial-admin-password');
    fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
    // Printed straight to the console once, not through the log pipeline that may be shipped elsewhere.
    console.log(`\n  初始管理员账号 admin，初始密码：${password}\n  （已写入 ${file}，首次登录须修改）\n`);
  }
  o.log.info('created the admin account');
  return true;
}
