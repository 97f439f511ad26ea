import { ORG_CHILD_LEVELS, ORG_LEVEL_NAMES, ORG_TAG_TOWN_CENTRE, type OrgLevel } from '@cityops/contracts';

/**
 * Only a 镇街城运中心 (the tag), while enabled, may report events up to the city centre — the
 * event hub asks this before sending an event upwards.
 */
export const canReportToCity = (org: { tags: readonly string[]; enabled: boolean }) => org.enabled && org.tags.includes(ORG_TAG_TOWN_CENTRE);

/** Why an organisation of `level` cannot sit under a parent of `parentLevel` (null: root), or null when it can. */
export function levelRuleBroken(parentLevel: OrgLevel | null, level: OrgLevel, parentName?: string): string | null {
  const allowed = ORG_CHILD_LEVELS[parentLevel ?? 'root'];
  if (allowed.includes(level)) return null;
  const names = allowed.map((l) => ORG_LEVEL_NAMES[l]).join('、');
  if (!parentLevel) return `「${ORG_LEVEL_NAMES[level]}」不能作为根组织，根组织只能是：${names}`;
  const where = parentName ? `「${parentName}」（${ORG_LEVEL_NAMES[parentLevel]}）` : `「${ORG_LEVEL_NAMES[parentLevel]}」`;
  return allowed.length
    ? `「${ORG_LEVEL_NAMES[level]}」不能建在${where}下，其下级只能是：${names}`
    : `${where}下不能再建下级组织`;
}
