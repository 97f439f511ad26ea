import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { ORG_TAG_CITY_CENTRE, ORG_TAG_TOWN_CENTRE, type TargetOrg } from '@cityops/contracts';
import type { DbOrTx } from '../../core/db.js';
import { orgRepository, type OrgRow } from '../system/org.repository.js';
import { evtEvent } from './event.table.js';
import { evtNode } from './node.table.js';
import type { Actor } from './state-machine.js';

export type TargetMode = 'dispatch' | 'report' | 'assist';
type Relation = TargetOrg['relation'];

const isCentre = (o: OrgRow) => o.tags.includes(ORG_TAG_CITY_CENTRE) || o.tags.includes(ORG_TAG_TOWN_CENTRE);

/**
 * Which organisations an organisation may send an event to. Reporting follows the hierarchy of the
 * tender (网格 → 村社区 → 镇街; 部门科室 → 部门; 镇街城运中心 and 部门 → 市城运中心, or sideways to
 * other departments and towns). Dispatching reaches everything below the organisation (a 城运中心
 * acts for its town or city) and its siblings sideways. A town or the city is reached through its
 * 城运中心, where its duty officers work.
 */
export function eventTargetService(db: DbOrTx) {
  async function orgs() {
    return (await orgRepository(db).all()).filter((o) => o.enabled);
  }

  function resolver(all: OrgRow[]) {
    const byId = new Map(all.map((o) => [o.id, o]));
    const centreOf = new Map<string, OrgRow>();
    for (const o of all) if (isCentre(o) && o.parentId) centreOf.set(o.parentId, o);
    /** A town or the district is reached through its 城运中心 when it has one. */
    const reach = (o: OrgRow | undefined) => (o ? (centreOf.get(o.id) ?? o) : undefined);
    const cityCentre = all.find((o) => o.tags.includes(ORG_TAG_CITY_CENTRE));
    return { byId, centreOf, reach, cityCentre };
  }

  /**
   * Whom `actor` may reach in `mode`, and every enabled organisation by id (one read: callers look
   * their targets up there instead of reading them again).
   */
  async function candidates(actor: Actor, mode: TargetMode): Promise<{ relations: Map<string, Relation>; orgs: Map<string, OrgRow> }> {
    const all = await orgs();
    const { byId } = resolver(all);
    return { relations: relationsOf(all, actor, mode), orgs: byId };
  }

  function relationsOf(all: OrgRow[], actor: Actor, mode: TargetMode): Map<string, Relation> {
    const { byId, centreOf, reach, cityCentre } = resolver(all);
    const me = byId.get(actor.orgId);
    const out = new Map<string, Relation>();
    if (!me) return out;
    const add = (o: OrgRow | undefined, rel: Relation) => {
      const r = reach(o);
      if (r && r.id !== me.id && !out.has(r.id)) out.set(r.id, r.tags.includes(ORG_TAG_CITY_CENTRE) ? 'city' : rel);
    };
    // The organisation a 城运中心 acts for.
    const root = isCentre(me) && me.parentId ? byId.get(me.parentId)! : me;
    const parent = root.parentId ? byId.get(root.parentId) : undefined;
    const siblings = all.filter((o) => o.parentId === root.parentId && o.id !== root.id && !o.tags.includes(ORG_TAG_CITY_CENTRE));

    if (mode === 'report') {
      if (actor.isCityCentre) return out;
      const topLevel = root.level === 'town' || root.level === 'department';
      if (topLevel) {
        add(cityCentre, 'city');
        for (const s of siblings) if (s.level === 'town' || s.level === 'department') add(s, 'sideways');
      } else {
        add(parent, 'above');
      }
      return out;
    }
    for (const o of all) {
      if (o.id === root.id || !o.path.startsWith(root.path) || o.tags.includes(ORG_TAG_CITY_CENTRE)) continue;
      // A town with a 城运中心 is listed as its centre.
      if (centreOf.has(o.id)) continue;
      add(o, 'below');
    }
    if (!actor.isCityCentre) for (const s of siblings) add(s, 'sideways');
    return out;
  }

  return {
    candidates,

    /** The candidates as the dispatch dialog lists them, with 同类事件 recommendations first. */
    async list(actor: Actor, mode: TargetMode, o: { keyword?: string; belowOnly?: boolean; typeCode?: string }): Promise<TargetOrg[]> {
      const { relations: rel, orgs: byId } = await candidates(actor, mode);
      const recommended = new Set(o.typeCode && mode !== 'report' ? await recommend(o.typeCode, [...rel.keys()]) : []);
      const kw = o.keyword?.trim().toLowerCase();
      const rows: TargetOrg[] = [];
      for (const [id, relation] of rel) {
        const org = byId.get(id)!;
        if (o.belowOnly && relation !== 'below') continue;
        if (kw && !org.name.toLowerCase().includes(kw) && !org.pinyin.startsWith(kw)) continue;
        const parentRow = org.parentId ? byId.get(org.parentId) : undefined;
        rows.push({ id, name: org.name, level: org.level, parentId: org.parentId, parentName: parentRow?.name ?? null, recommended: recommended.has(id), relation });
      }
      const order: Relation[] = ['city', 'above', 'below', 'sideways'];
      return rows.sort((a, b) => Number(b.recommended) - Number(a.recommended) || order.indexOf(a.relation) - order.indexOf(b.relation) || byId.get(a.id)!.path.localeCompare(byId.get(b.id)!.path));
    },
  };

  /** Organisations that most often handled events of this type as 主办 (同类事件分析推荐). */
  async function recommend(typeCode: string, among: string[]): Promise<string[]> {
    if (!among.length) return [];
    const rows = await db
      .select({ orgId: evtNode.orgId, n: sql<number>`count(*)::int` })
      .from(evtNode)
      .innerJoin(evtEvent, eq(evtEvent.id, evtNode.eventId))
      .where(and(eq(evtEvent.typeCode, typeCode), eq(evtNode.role, 'main'), inArray(evtNode.status, ['submitted', 'finished']), inArray(evtNode.orgId, among)))
      .groupBy(evtNode.orgId)
      .orderBy(desc(sql`count(*)`))
      .limit(3);
    return rows.map((r) => r.orgId);
  }
}
export type EventTargetService = ReturnType<typeof eventTargetService>;
