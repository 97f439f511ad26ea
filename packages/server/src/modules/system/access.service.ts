import { SUPER_PERMISSION, type MenuNode } from '@cityops/contracts';
import type { AccessRepository, ResourceRow } from './access.repository.js';

/** Builds the menu tree from visible resources: folders without a visible page are dropped. */
export function menuTree(resources: ResourceRow[]): MenuNode[] {
  const nodes = resources.filter((r) => r.type !== 'button').sort((a, b) => a.sort - b.sort);
  const build = (parentId: string | null): MenuNode[] =>
    nodes
      .filter((r) => r.parentId === parentId)
      .map((r) => ({ id: r.id, name: r.name, code: r.code, route: r.route, icon: r.icon, children: build(r.id) }))
      .filter((n) => n.route || n.children.length);
  return build(null);
}

/** What a user may do (permission codes) and see (menus), from their roles' grants. */
export function accessService(repo: AccessRepository) {
  return {
    async permissionsOf(userId: string) {
      const roles = await repo.rolesOf(userId);
      if (roles.some((r) => r.isSuper)) return [SUPER_PERMISSION];
      const resources = await repo.resourcesOfRoles(roles.map((r) => r.id));
      return [...new Set(resources.map((r) => r.permission).filter((p): p is string => !!p))].sort();
    },

    async menusFor(permissions: string[]) {
      const all = await repo.allResources();
      const isSuper = permissions.includes(SUPER_PERMISSION);
      const visible = all.filter(
        (r) => r.type === 'directory' || r.access !== 'authorized' || isSuper || (!!r.permission && permissions.includes(r.permission)),
      );
      return menuTree(visible);
    },
  };
}
export type AccessService = ReturnType<typeof accessService>;
