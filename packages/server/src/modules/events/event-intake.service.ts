import { EVENT_SOURCES, type EventInput, type EventRef } from '@cityops/contracts';
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../core/db.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { orgRepository } from '../system/org.repository.js';
import { eventRepository, type EventRowDb } from './event.repository.js';
import { nextEventNumber } from './event-number.js';
import type { HubDeps } from './hub.js';
import { evtAttachment } from './log.table.js';
import { nodeRepository } from './node.repository.js';
import { eventRef } from './operation.js';
import type { Actor } from './state-machine.js';
import { trailRepository } from './trail.repository.js';

const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * 事件发起 and the drafts box (草稿箱): an event starts as a draft or goes straight into handling,
 * held by the initiating organisation as its first to-do and closing organisation.
 */
export function eventIntakeService(d: HubDeps) {
  /** Checks what the user typed; returns the fields to store and the files to attach. */
  async function check(input: EventInput) {
    const type = await d.types.assertSelectable(input.typeCode);
    const formData = d.types.validateForm(type, input.formData);
    if (!EVENT_SOURCES.some((s) => s.value === input.source)) throw new Invalid('事件来源无效', { fields: { source: '事件来源无效' } });
    if (input.regionCode && !(await orgRepository(d.db).regionExists(input.regionCode))) {
      throw new Invalid('事发区域不存在', { fields: { regionCode: '事发区域不存在' } });
    }
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : null;
    if (occurredAt && (Number.isNaN(occurredAt.getTime()) || occurredAt.getTime() > Date.now() + FUTURE_TOLERANCE_MS)) {
      throw new Invalid('事发时间不能晚于当前时间', { fields: { occurredAt: '事发时间不能晚于当前时间' } });
    }
    if ((input.lat === undefined) !== (input.lng === undefined)) throw new Invalid('经纬度须同时填写');
    const files = await d.files.describe(input.fileIds);
    const fields = {
      typeCode: type.code, title: input.title, content: input.content, source: input.source, occurredAt,
      regionCode: input.regionCode ?? null, address: input.address ?? null, lat: input.lat ?? null, lng: input.lng ?? null, formData,
    };
    return { type, fields, files };
  }

  /** Turns a stored draft (or a fresh row) into a running event: number, first node, deadline, timeline. */
  async function start(tx: Tx, actor: Actor, event: EventRowDb, limit: { deadline: Date; warnAt: Date }, now: Date) {
    const [root] = await nodeRepository(tx).insertMany([{
      eventId: event.id, parentId: null, orgId: actor.orgId, orgName: actor.orgName, orgPath: actor.orgPath, orgLevel: actor.orgLevel,
      role: 'main', via: 'initiate', status: 'todo', deadline: limit.deadline, warnAt: limit.warnAt, createdAt: now,
    }]);
    const logId = await trailRepository(tx).insertLog({
      eventId: event.id, nodeId: root!.id, action: 'initiate', actorId: actor.userId, actorName: actor.name, actorOrgId: actor.orgId,
      actorOrgName: actor.orgName, isCity: actor.isCityCentre, createdAt: now,
    });
    // Attachments saved with the draft become the report's attachments (处理前).
    await tx.update(evtAttachment).set({ logId }).where(and(eq(evtAttachment.eventId, event.id), isNull(evtAttachment.logId)));
    // The day's sequence row is locked until commit: taken last, so that reports of one source queue on it only briefly.
    const no = await nextEventNumber(tx, event.source, now);
    return eventRepository(tx).update(event.id, {
      no, status: 'processing', ownerOrgId: actor.orgId, orgIds: [actor.orgId], deadline: limit.deadline, warnAt: limit.warnAt,
      createdAt: now, version: event.version + 1,
    });
  }

  const limitOf = (type: { limitValue: number; limitUnit: 'workday' | 'workhour' | 'day' | 'hour'; warnRatio: number }, now: Date) =>
    d.clock.deadline(now, { value: type.limitValue, unit: type.limitUnit, warnRatio: type.warnRatio });

  async function ownDraft(user: Principal, id: string) {
    const row = await eventRepository(d.db).byId(id);
    if (!row || row.status !== 'draft' || row.creatorId !== user.id) throw new NotFound('草稿不存在或已发起');
    return row;
  }

  return {
    async create(user: Principal, input: EventInput & { submit: boolean }): Promise<EventRef> {
      const actor = await d.runner.actor(user);
      const { type, fields, files } = await check(input);
      const now = new Date();
      const limit = input.submit ? await limitOf(type, now) : undefined;
      return d.db.transaction(async (tx) => {
        const row = await eventRepository(tx).insert({
          ...fields, status: 'draft', creatorId: user.id, creatorName: user.name, creatorOrgId: actor.orgId, creatorOrgName: actor.orgName,
          ownerOrgId: actor.orgId, orgIds: [actor.orgId], actorIds: [user.id], createdAt: now,
        });
        await trailRepository(tx).attach(row.id, files, 'before');
        return eventRef(limit ? await start(tx, actor, row, limit, now) : row);
      });
    },

    async updateDraft(user: Principal, id: string, input: EventInput): Promise<EventRef> {
      await ownDraft(user, id);
      const { fields, files } = await check(input);
      return d.db.transaction(async (tx) => {
        const locked = await eventRepository(tx).lock(id);
        if (!locked || locked.status !== 'draft') throw new NotFound('草稿不存在或已发起');
        await tx.delete(evtAttachment).where(eq(evtAttachment.eventId, id));
        await trailRepository(tx).attach(id, files, 'before');
        return eventRef(await eventRepository(tx).update(id, { ...fields, version: locked.version + 1 }));
      });
    },

    async deleteDraft(user: Principal, id: string) {
      const removed = await d.db.transaction(async (tx) => {
        const row = await eventRepository(tx).deleteDraft(id, user.id);
        if (row) await tx.delete(evtAttachment).where(eq(evtAttachment.eventId, id));
        return row;
      });
      if (!removed) throw new NotFound('草稿不存在或已发起');
      return removed;
    },

    async submitDraft(user: Principal, id: string): Promise<EventRef> {
      const draft = await ownDraft(user, id);
      const actor = await d.runner.actor(user);
      const type = await d.types.assertSelectable(draft.typeCode);
      d.types.validateForm(type, draft.formData);
      const now = new Date();
      const limit = await limitOf(type, now);
      return d.db.transaction(async (tx) => {
        const locked = await eventRepository(tx).lock(id);
        if (!locked || locked.status !== 'draft') throw new NotFound('草稿不存在或已发起');
        return eventRef(await start(tx, actor, locked, limit, now));
      });
    },
  };
}
export type EventIntakeService = ReturnType<typeof eventIntakeService>;
