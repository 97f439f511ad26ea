import type { TargetOrg } from '@cityops/contracts';

/** A node of the organisation tree of the dispatch and assist dialogs: an organisation or a folder. */
export interface TargetTreeNode {
  id: string;
  label: string;
  /** null for a category (部门, 镇街…) or a folder (a town or department that is not itself a target). */
  org: TargetOrg | null;
  /** Where a lone organisation belongs (its town or department), shown after its name. */
  hint?: string;
  children: TargetTreeNode[];
}

const isCentre = (o: TargetOrg) => o.name.endsWith('城运中心');
/** Organisations of a town: its 城运中心, communities, grids. */
const townish = (o: TargetOrg) => isCentre(o) || o.level === 'community' || o.level === 'grid';

/**
 * The targets the server lists (flat, with parents) as the tender wants them shown: by 部门 and by
 * 镇街. An organisation whose parent is a target hangs under it; the others are grouped under their
 * parent (a town is reached through its 城运中心, so 崇阳街道 is a folder holding 崇阳街道城运中心 and
 * its communities). A folder with one organisation is flattened, its parent's name kept as a hint.
 * Organisations above (上报) come first.
 */
export function buildTargetTree(rows: TargetOrg[]): TargetTreeNode[] {
  const ids = new Set(rows.map((r) => r.id));
  const nodes = new Map(rows.map((r): [string, TargetTreeNode] => [r.id, { id: r.id, label: r.name, org: r, children: [] }]));
  const up: TargetTreeNode[] = [];
  const depts: TargetTreeNode[] = [];
  const towns: TargetTreeNode[] = [];
  const folders = new Map<string, TargetTreeNode>();
  const order: (TargetTreeNode | string)[] = [];

  for (const r of rows) {
    const node = nodes.get(r.id)!;
    if (r.parentId && ids.has(r.parentId)) {
      nodes.get(r.parentId)!.children.push(node);
    } else if (r.relation === 'city' || r.relation === 'above') {
      up.push(node);
    } else if (r.level === 'department' || r.level === 'town') {
      order.push(node);
    } else {
      const key = r.parentId ?? 'none';
      let folder = folders.get(key);
      if (!folder) {
        folder = { id: `folder:${key}`, label: r.parentName ?? '其他单位', org: null, children: [] };
        folders.set(key, folder);
        order.push(key);
      }
      folder.children.push(node);
    }
  }

  for (const entry of order) {
    if (typeof entry !== 'string') {
      (entry.org!.level === 'town' ? towns : depts).push(entry);
      continue;
    }
    const folder = folders.get(entry)!;
    const toTowns = folder.children.some((c) => townish(c.org!));
    const shown = folder.children.length === 1 ? { ...folder.children[0]!, hint: folder.label } : folder;
    (toTowns ? towns : depts).push(shown);
  }

  const below = (x: TargetTreeNode): boolean => x.org?.relation === 'below' || x.children.some(below);
  // By name (pinyin order); on top the organisation's own subordinates first, in a folder a town's
  // 城运中心 before its communities.
  const name = (a: TargetTreeNode, b: TargetTreeNode) => a.label.localeCompare(b.label, 'zh-CN');
  const centreFirst = (a: TargetTreeNode, b: TargetTreeNode) => Number(!!b.org && isCentre(b.org)) - Number(!!a.org && isCentre(a.org));
  const sortBelow = (list: TargetTreeNode[]) => {
    list.sort((a, b) => centreFirst(a, b) || name(a, b));
    for (const x of list) sortBelow(x.children);
  };
  for (const list of [up, depts, towns]) {
    list.sort((a, b) => Number(below(b)) - Number(below(a)) || name(a, b));
    for (const x of list) sortBelow(x.children);
  }
  const count = (list: TargetTreeNode[]): number => list.reduce((n, x) => n + (x.org ? 1 : 0) + count(x.children), 0);
  // The organisation's own subordinates first: a town sees its communities before the departments.
  const sideways = [
    { id: 'cat:dept', label: '部门', org: null, children: depts },
    { id: 'cat:town', label: '镇街', org: null, children: towns },
  ].sort((a, b) => Number(b.children.some(below)) - Number(a.children.some(below)));
  return [{ id: 'cat:up', label: '上级单位', org: null, children: up }, ...sideways]
    .filter((c) => c.children.length)
    .map((c) => ({ ...c, label: `${c.label}（${count(c.children)}）` }));
}
