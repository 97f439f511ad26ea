import { asc, eq, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../core/db.js';
import { sysOrg } from '../system/org.table.js';
import { sysRegion } from '../system/region.table.js';
import type { EventScope } from '../system/scope.service.js';
import { evtType } from './config.table.js';
import { evtEvent } from './event.table.js';
import { actedOn, eventPlate, nodePlate, scopeCondition } from './event-sql.js';
import { evtAttachment, evtDirective, evtLog } from './log.table.js';
import { evtNode } from './node.table.js';
import { evtRequest } from './request.table.js';

/** Everything the detail page (事件详情) shows, one query per part. */
export function eventDetailRepository(db: DbOrTx) {
  const owner = alias(sysOrg, 'owner');
  return {
    /**
     * The event with its type, region and closing organisation names, and whether the user may see
     * it: in their 本级及下级 scope, created by them, or acted on by them.
     */
    async event(id: string, viewer: { userId: string; scope: EventScope }) {
      const [row] = await db
        .select({
          event: evtEvent,
          plate: eventPlate,
          typeName: evtType.name,
          typeCategory: evtType.category,
          regionName: sysRegion.name,
          ownerOrgName: owner.name,
          visible: sql<boolean>`(${or(scopeCondition(viewer.scope, 'selfAndChildren'), eq(evtEvent.creatorId, viewer.userId), actedOn(viewer.userId))})`,
        })
        .from(evtEvent)
        .leftJoin(evtType, eq(evtType.code, evtEvent.typeCode))
        .leftJoin(sysRegion, eq(sysRegion.code, evtEvent.regionCode))
        .leftJoin(owner, eq(owner.id, evtEvent.ownerOrgId))
        .where(eq(evtEvent.id, id));
      return row;
    },

    /**
     * The handling tree (处置树), in the order the organisations joined; the targets of one
     * dispatch share its instant and are listed main, assist, CC.
     */
    nodes(eventId: string) {
      return db
        .select({ node: evtNode, plate: nodePlate })
        .from(evtNode)
        .where(eq(evtNode.eventId, eventId))
        .orderBy(asc(evtNode.createdAt), sql`case ${evtNode.role} when 'main' then 0 when 'assist' then 1 else 2 end`, asc(evtNode.orgName), asc(evtNode.id));
    },

    /** The timeline (处置过程), oldest first. */
    logs(eventId: string) {
      return db.select().from(evtLog).where(eq(evtLog.eventId, eventId)).orderBy(asc(evtLog.createdAt), asc(evtLog.id));
    },

    attachments(eventId: string) {
      return db.select().from(evtAttachment).where(eq(evtAttachment.eventId, eventId)).orderBy(asc(evtAttachment.createdAt), asc(evtAttachment.id));
    },

    directives(eventId: string) {
      return db.select().from(evtDirective).where(eq(evtDirective.eventId, eventId)).orderBy(asc(evtDirective.issuedAt), asc(evtDirective.id));
    },

    requests(eventId: string) {
      return db.select().from(evtRequest).where(eq(evtRequest.eventId, eventId)).orderBy(asc(evtRequest.createdAt), asc(evtRequest.id));
    },
  };
}
export type EventDetailRepository = ReturnType<typeof eventDetailRepository>;
