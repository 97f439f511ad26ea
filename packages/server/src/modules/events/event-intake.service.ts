import { randomUUID } from 'node:crypto';
import { EVENT_SOURCES, type EventInput, type EventRef } from '@cityops/contracts';
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { orgRepository } from '../system/org.repository.js';
import { eventRepository } from './event.repository.js';
import { eventNumber } from './event-number.js';
import { evtEvent } from './event.table.js';
import type { HubDeps } from './hub.js';
import { evtAttachment } from './log.table.js';
import { nodeRepository, nodeRowOf } from './node.repository.js';
import { oneStatement } from './one-statement.js';
import { eventRef } from './operation.js';
import type { Actor } from './state-machine.js';
import { attachmentRows, trailRepository } from './trail.repository.js';

const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * 事件发起 and the drafts box (草稿箱): an event starts as a draft or goes straight into handling,
 * held by the initiating organisation as its first to-do and closing organisation.
 */
export function eventIntakeService(d: HubDeps) {
  /** Checks what the user typed; returns the fields to store and the files to attach. */
  async function check(input: EventInput, o: { partialForm?: boolean } = {}) {
    const type = await d.types.assertSelectable(input.typeCode);
    const formData = d.types.validateForm(type, input.formData, { partial: o.partialForm });
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

  /**
   * What turns an event into a running one — number, first node, deadline, timeline — as writes for
   * one statement (oneStatement(writes, named)): `fields` go onto the event's row, the number among them.
   */
  function start(tx: DbOrTx, actor: Actor, event: { id: string; source: string }, limit: { deadline: Date; warnAt: Date }, now: Date) {
    const root = nodeRowOf({
      eventId: event.id, parentId: null, orgId: actor.orgId, orgName: actor.orgName, orgPath: actor.orgPath, orgLevel: actor.orgLevel,
      role: 'main', via: 'initiate', status: 'todo', deadline: limit.deadline, warnAt: limit.warnAt,
    }, now);
    const logId = randomUUID();
    const number = eventNumber(tx, event.source, now);
    return {
      logId,
      named: number.with,
      writes: [
        nodeRepository(tx).insertRows([root]),
        trailRepository(tx).insertLogs([{
          id: logId, eventId: event.id, nodeId: root.id, action: 'initiate', actorId: actor.userId, actorName: actor.name, actorOrgId: actor.orgId,
          actorOrgName: actor.orgName, isCity: actor.isCityCentre, createdAt: now,
        }]),
      ],
      fields: {
        no: number.no, status: 'processing' as const, ownerOrgId: actor.orgId, orgIds: [actor.orgId], deadline: limit.deadline, warnAt: limit.warnAt, createdAt: now,
      },
    };
  }

  const limitOf = (type: { limitValue: number; limitUnit: 'workday' | 'workhour' | 'day' | 'hour'; warnRatio: number }, now: Date) =>
    d.clock.deadline(now, { value: type.limitValue, unit: type.limitUnit, warnRatio: type.warnRatio });

  async function ownDraft(user: Principal, id: string) {
    const row = await eventRepository(d.db).byId(id);
    if (!row || row.status !== 'draft' || row.creatorId !== user.id) throw new NotFound('草稿不存在或已发起');
    return row;
  }

  /**
   * 发起 as an actor: a person through `create`, or a system account acting for an organisation (the
   * IoT platform's alarms). `partialForm`: a machine cannot answer the type's custom form, so its
   * required fields are left for the handler instead of refusing the report.
   */
  async function createAs(actor: Actor, input: EventInput & { submit: boolean }, o: { partialForm?: boolean } = {}): Promise<EventRef> {
    const { type, fields, files } = await check(input, o);
    const now = new Date();
    const limit = input.submit ? await limitOf(type, now) : undefined;
    // One statement, no transaction: the event, its attachments and, when submitted, its start.
    const id = randomUUID();
    const started = limit ? start(d.db, actor, { id, source: fields.source }, limit, now) : undefined;
    const attachments = attachmentRows(id, files, 'before', started?.logId ?? null);
    const row = {
      ...fields, id, status: 'draft' as const, creatorId: actor.userId, creatorName: actor.name, creatorOrgId: actor.orgId, creatorOrgName: actor.orgName,
      ownerOrgId: actor.orgId, orgIds: [actor.orgId], actorIds: [actor.userId], createdAt: now, version: started ? 1 : 0, ...started?.fields,
    };
    const result = (await d.db.execute(oneStatement([
      ...(started?.writes ?? []),
      ...(attachments.length ? [trailRepository(d.db).insertAttachments(attachments)] : []),
      eventRepository(d.db).insert(row).returning({ no: evtEvent.no }),
    ], started?.named))) as unknown as { rows: { no: string | null }[] };
    return eventRef({ id, no: result.rows[0]!.no, status: row.status, version: row.version });
  }

  return {
    createAs,

    async create(user: Principal, input: EventInput & { submit: boolean }): Promise<EventRef> {
      return createAs(await d.runner.actor(user), input);
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
        const started = start(tx, actor, locked, limit, now);
        const version = locked.version + 1;
        // Attachments saved with the draft become the report's attachments (处理前).
        const attach = tx.update(evtAttachment).set({ logId: started.logId }).where(and(eq(evtAttachment.eventId, id), isNull(evtAttachment.logId)));
        const result = (await tx.execute(oneStatement([
          ...started.writes, attach, eventRepository(tx).patch(id, { ...started.fields, version }).returning({ no: evtEvent.no }),
        ], started.named))) as unknown as { rows: { no: string | null }[] };
        return eventRef({ id, no: result.rows[0]!.no, status: 'processing', version });
      });
    },
  };
}
export type EventIntakeService = ReturnType<typeof eventIntakeService>;
