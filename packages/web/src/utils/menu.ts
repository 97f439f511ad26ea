import type { MenuNode } from '@cityops/contracts';

/** Menu routes may come with or without the leading slash; the router wants one. */
export function normalizeRoute(route: string | null | undefined): string | null {
  if (!route) return null;
  const trimmed = route.trim();
  if (!trimmed) return null;
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

export const isExternal = (route: string | null | undefined): boolean => !!route && /^https?:\/\//i.test(route);

/** A node with a route is a page; one without is a folder. */
export const isPage = (node: MenuNode): boolean => normalizeRoute(node.route) !== null;

/** Drops folders that contain no page at any depth. */
export function pruneMenus(nodes: readonly MenuNode[]): MenuNode[] {
  const result: MenuNode[] = [];
  for (const node of nodes) {
    if (isPage(node)) {
      result.push(node);
      continue;
    }
    const children = pruneMenus(node.children ?? []);
    if (children.length > 0) result.push({ ...node, children });
  }
  return result;
}

/** All pages of the tree, depth first, each with the names of its folders. */
export function flattenPages(nodes: readonly MenuNode[], trail: string[] = []): Array<MenuNode & { trail: string[] }> {
  const pages: Array<MenuNode & { trail: string[] }> = [];
  for (const node of nodes) {
    if (isPage(node)) pages.push({ ...node, trail });
    else pages.push(...flattenPages(node.children ?? [], [...trail, node.name]));
  }
  return pages;
}

/** The chain of nodes leading to the page whose route is `path`, or [] when the menus do not hold it. */
export function findMenuTrail(nodes: readonly MenuNode[], path: string): MenuNode[] {
  for (const node of nodes) {
    if (normalizeRoute(node.route) === path) return [node];
    const below = findMenuTrail(node.children ?? [], path);
    if (below.length > 0) return [node, ...below];
  }
  return [];
}
