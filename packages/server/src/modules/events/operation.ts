import { ORG_TAG_CITY_CENTRE, ORG_TAG_TOWN_CENTRE, type EventRef, type FileInfo } from '@cityops/contracts';
import type { Db, Tx } from '../../core/db.js';
import { AppError, Forbidden, NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { OrgRow } from '../system/org.repository.js';
import { eventRepository, type EventPatch, type EventRowDb } from './event.repository.js';
import type { AttachmentStage } from './log.table.js';
import { nodeRepository, type NewNode, type NodePatch, type NodeRow } from './node.repository.js';
import type { EventMessenger } from './ports.js';
import { requestRepository } from './request.repository.js';
import { settle, type Actor, type PendingRequests, type Refusal } from './state-machine.js';
import { trailRepository } from './trail.repository.js';

/** Everything one operation works on, inside its transaction. */
export interface OpContext {
  tx: Tx;
  event: EventRowDb;
  nodes: NodeRow[];
  pending: PendingRequests;
  actor: Actor;
  now: Date;
  /** Writes a timeline row (and its attachments); returns its id. */
  log(action: string, o?: { nodeId?: string | null; opinion?: string | null; detail?: Record<string, unknown>; files?: FileInfo[]; stage?: AttachmentStage }): Promise<string>;
  notify(orgIds: string[], kind: string, title: string, content?: string): Promise<void>;
  patchNode(node: NodeRow, patch: NodePatch): Promise<void>;
  addNodes(rows: Omit<NewNode, 'eventId'>[]): Promise<NodeRow[]>;
  patchEvent(patch: EventPatch): void;
}

export const refusalError = (r: Refusal) => new AppError(r.status, r.status === 403 ? 'FORBIDDEN' : 'CONFLICT', r.message);

/** The node fields that describe an organisation. */
export const orgOfNode = (o: OrgRow) => ({ orgId: o.id, orgName: o.name, orgPath: o.path, orgLevel: o.level });

/** The acting person and organisation, from the principal (cached per access version with the account). */
export function toActor(user: Principal): Actor {
  if (!user.orgId || !user.orgName || !user.orgPath || !user.orgLevel) throw new Forbidden('您的账号未归属任何组织，不能办理事件', 'NO_ORG');
  return {
    userId: user.id,
    name: user.name,
    orgId: user.orgId,
    orgName: user.orgName,
    orgPath: user.orgPath,
    orgLevel: user.orgLevel,
    isCityCentre: user.orgTags.includes(ORG_TAG_CITY_CENTRE),
    isTownCentre: user.orgTags.includes(ORG_TAG_TOWN_CENTRE),
  };
}

export const eventRef = (e: Pick<EventRowDb, 'id' | 'no' | 'status' | 'version'>): EventRef => ({ id: e.id, no: e.no, status: e.status, version: e.version });

/**
 * Runs operations: one transaction each, with the event row locked so that two people acting on
 * the same event queue up and the second sees what the first did (then the state machine answers
 * 409). After the action the tree settles, and the event's status, participants and version follow.
 */
export function operationRunner(db: Db, messages: EventMessenger) {
  return {
    async actor(user: Principal): Promise<Actor> {
      return toActor(user);
    },

    async run(actor: Actor, eventId: string, apply: (ctx: OpContext) => Promise<void>): Promise<EventRef> {
      return db.transaction(async (tx) => {
        const events = eventRepository(tx);
        const event = await events.lock(eventId);
        if (!event || event.status === 'draft') throw new NotFound('事件不存在');
        const nodesRepo = nodeRepository(tx);
        const trail = trailRepository(tx);
        const nodes = await nodesRepo.ofEvent(eventId);
        const pending = await requestRepository(tx).pendingOfEvent(eventId);
        const now = new Date();
        let eventPatch: EventPatch = {};
        const ctx: OpContext = {
          tx, event, nodes, actor, now,
          pending: new Map(pending.map((p) => [p.nodeId, p.kind])),
          async log(action, o = {}) {
            const logId = await trail.insertLog({
              eventId, nodeId: o.nodeId ?? null, action, actorId: actor.userId, actorName: actor.name, actorOrgId: actor.orgId,
              actorOrgName: actor.orgName, opinion: o.opinion ?? null, detail: o.detail ?? {}, isCity: actor.isCityCentre, createdAt: now,
            });
            await trail.attach(eventId, o.files ?? [], o.stage ?? 'during', logId);
            return logId;
          },
          async notify(orgIds, kind, title, content = '') {
            const targets = [...new Set(orgIds)];
            if (targets.length) await messages.notifyOrgs(tx, targets, { kind, title, content, eventId }, actor.userId);
          },
          async patchNode(node, patch) {
            Object.assign(node, patch);
            await nodesRepo.update(node.id, patch);
          },
          async addNodes(rows) {
            const added = await nodesRepo.insertMany(rows.map((r) => ({ ...r, eventId, createdAt: now })));
            nodes.push(...added);
            return added;
          },
          patchEvent(patch) {
            Object.assign(event, patch);
            eventPatch = { ...eventPatch, ...patch };
          },
        };
        await apply(ctx);

        if (event.status === 'processing' || event.status === 'handled') {
          const { changes, handled } = settle(event, nodes, now);
          for (const c of changes) await nodesRepo.update(c.id, { status: c.status, endedAt: c.endedAt ?? null });
          const status = handled ? 'handled' : 'processing';
          if (status !== event.status) {
            ctx.patchEvent({ status, submittedAt: handled ? now : null });
            if (handled && event.ownerOrgId) await ctx.notify([event.ownerOrgId], 'closing', `事件「${event.title}」已办理完毕，待核验结案`);
          }
        }
        const orgIds = [...new Set(nodes.map((n) => n.orgId))];
        const actorIds = event.actorIds.includes(actor.userId) ? event.actorIds : [...event.actorIds, actor.userId];
        const saved = await events.update(eventId, { ...eventPatch, orgIds, actorIds, version: event.version + 1 });
        return eventRef(saved);
      });
    },
  };
}
export type OperationRunner = ReturnType<typeof operationRunner>;
