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

/**
 * The resources in force: enabled, and every ancestor enabled too (disabling a folder or a page
 * switches off everything below it). `enabled` holds the enabled resources only.
 */
export function liveResources(enabled: ResourceRow[]): ResourceRow[] {
  const byId = new Map(enabled.map((r) => [r.id, r]));
  const live = new Map<string, boolean>();
  const isLive = (r: ResourceRow, depth: number): boolean => {
    const known = live.get(r.id);
    if (known !== undefined) return known;
    const parent = r.parentId ? byId.get(r.parentId) : undefined;
    const v = !r.parentId || (!!parent && depth < 64 && isLive(parent, depth + 1));
    live.set(r.id, v);
    return v;
  };
  return enabled.filter((r) => isLive(r, 0));
}

/**
 * The permission codes a user holds: those of the resources granted to their roles, plus those of
 * resources open to every logged-in user (安全策略 匿名/登录可访问) — in both cases only while the
 * resource is in force. A permission whose resources are all disabled is held by nobody, so its
 * API routes answer 403 (super users excepted).
 */
export function permissionCodes(granted: ResourceRow[], enabled: ResourceRow[]): string[] {
  const live = liveResources(enabled);
  const liveIds = new Set(live.map((r) => r.id));
  const codes = new Set<string>();
  for (const r of granted) if (r.permission && liveIds.has(r.id)) codes.add(r.permission);
  for (const r of live) if (r.permission && r.access !== 'authorized') codes.add(r.permission);
  return [...codes].sort();
}

/** What a user may do (permission codes) and see (menus), from their roles' grants. */
export function accessService(repo: AccessRepository) {
  async function compute(userId: string) {
    const roles = await repo.rolesOf(userId);
    if (roles.some((r) => r.isSuper)) return [SUPER_PERMISSION];
    const granted = await repo.resourcesOfRoles(roles.map((r) => r.id));
    return permissionCodes(granted, await repo.allResources());
  }
  return {
    /** Computed from the grants; auth.service caches it with the account per access version. */
    permissionsOf: compute,

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
