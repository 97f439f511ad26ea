import { randomUUID } from 'node:crypto';
import type { SQLWrapper } from 'drizzle-orm';
import { ORG_TAG_CITY_CENTRE, ORG_TAG_TOWN_CENTRE, type EventRef, type FileInfo } from '@cityops/contracts';
import type { Db, Tx } from '../../core/db.js';
import { AppError, Forbidden, NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { OrgRow } from '../system/org.repository.js';
import { eventRepository, type EventPatch, type EventRowDb } from './event.repository.js';
import type { AttachmentStage } from './log.table.js';
import { nodeRepository, nodeRowOf, type NewNode, type NodePatch, type NodeRow } from './node.repository.js';
import { oneStatement } from './one-statement.js';
import type { EventMessenger, OutgoingMessage } from './ports.js';
import { settle, type Actor, type PendingRequests, type Refusal } from './state-machine.js';
import { attachmentRows, trailRepository, type NewAttachment, type NewLog } from './trail.repository.js';

/**
 * Everything one operation works on, inside its transaction. What it writes is kept and sent at the
 * end with the tree's settling, the messages and the event's update, in one statement: the tree in
 * memory is always the current one, and the database sees it only at the end.
 */
export interface OpContext {
  tx: Tx;
  event: EventRowDb;
  nodes: NodeRow[];
  pending: PendingRequests;
  actor: Actor;
  now: Date;
  /** A timeline row (and its attachments); returns its id. */
  log(action: string, o?: { nodeId?: string | null; opinion?: string | null; detail?: Record<string, unknown>; files?: FileInfo[]; stage?: AttachmentStage }): string;
  notify(orgIds: string[], kind: string, title: string, content?: string): void;
  patchNode(node: NodeRow, patch: NodePatch): void;
  addNodes(rows: Omit<NewNode, 'eventId'>[]): NodeRow[];
  patchEvent(patch: EventPatch): void;
  /**
   * A further write (a query not awaited) sent with the operation's closing statement: it sees the
   * tables as they were before the operation's other writes, so it must not touch their rows.
   */
  write(query: SQLWrapper): void;
}

/** The WITH item of the closing statement that writes the operation's messages. */
const MESSAGES = 'op_messages';

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
 * Round trips are what an operation costs under load, so there are four: BEGIN, the locking read
 * (event, tree and pending requests), one statement with every write, COMMIT.
 */
export function operationRunner(db: Db, messages: EventMessenger) {
  return {
    async actor(user: Principal): Promise<Actor> {
      return toActor(user);
    },

    async run(actor: Actor, eventId: string, apply: (ctx: OpContext) => Promise<void>): Promise<EventRef> {
      return db.transaction(async (tx) => {
        const loaded = await eventRepository(tx).lockWithTree(eventId);
        if (!loaded || loaded.event.status === 'draft') throw new NotFound('事件不存在');
        const { event, nodes } = loaded;
        const trail = trailRepository(tx);
        const now = new Date();
        let eventPatch: EventPatch = {};
        const added = new Set<NodeRow>();
        const patches = new Map<NodeRow, NodePatch>();
        const logs: NewLog[] = [];
        const attachments: NewAttachment[] = [];
        const notices: { orgIds: string[]; message: OutgoingMessage }[] = [];
        const writes: SQLWrapper[] = [];
        const ctx: OpContext = {
          tx, event, nodes, actor, now,
          pending: new Map(loaded.pending.map((p) => [p.nodeId, p.kind])),
          log(action, o = {}) {
            const id = randomUUID();
            logs.push({
              id, eventId, nodeId: o.nodeId ?? null, action, actorId: actor.userId, actorName: actor.name, actorOrgId: actor.orgId,
              actorOrgName: actor.orgName, opinion: o.opinion ?? null, detail: o.detail ?? {}, isCity: actor.isCityCentre, createdAt: now,
            });
            attachments.push(...attachmentRows(eventId, o.files ?? [], o.stage ?? 'during', id));
            return id;
          },
          notify(orgIds, kind, title, content = '') {
            if (orgIds.length) notices.push({ orgIds, message: { kind, title, content, eventId } });
          },
          patchNode(node, patch) {
            Object.assign(node, patch);
            // A node added by this operation is inserted as it ends up.
            if (!added.has(node)) patches.set(node, { ...patches.get(node), ...patch });
          },
          addNodes(rows) {
            const rowsAdded = rows.map((r) => nodeRowOf({ ...r, eventId }, now));
            for (const n of rowsAdded) added.add(n);
            nodes.push(...rowsAdded);
            return rowsAdded;
          },
          patchEvent(patch) {
            Object.assign(event, patch);
            eventPatch = { ...eventPatch, ...patch };
          },
          write(query) {
            writes.push(query);
          },
        };
        await apply(ctx);

        if (event.status === 'processing' || event.status === 'handled') {
          const { changes, handled } = settle(event, nodes, now);
          for (const c of changes) ctx.patchNode(nodes.find((n) => n.id === c.id)!, { status: c.status, endedAt: c.endedAt ?? null });
          const status = handled ? 'handled' : 'processing';
          if (status !== event.status) {
            ctx.patchEvent({ status, submittedAt: handled ? now : null });
            if (handled && event.ownerOrgId) ctx.notify([event.ownerOrgId], 'closing', `事件「${event.title}」已办理完毕，待核验结案`);
          }
        }
        const nodesRepo = nodeRepository(tx);
        if (added.size) writes.push(nodesRepo.insertRows([...added]));
        if (patches.size) writes.push(nodesRepo.patchEach([...patches].map(([n, patch]) => ({ id: n.id, patch: { ...patch, updatedAt: now } }))));
        if (logs.length) writes.push(trail.insertLogs(logs));
        if (attachments.length) writes.push(trail.insertAttachments(attachments));
        const orgIds = [...new Set(nodes.map((n) => n.orgId))];
        const actorIds = event.actorIds.includes(actor.userId) ? event.actorIds : [...event.actorIds, actor.userId];
        const version = event.version + 1;
        writes.push(eventRepository(tx).patch(eventId, { ...eventPatch, orgIds, actorIds, version }));
        // The messages join the statement, whose main query then announces them.
        const messageWrites = messages.orgMessageWrites(tx, notices, actor.userId);
        if (messageWrites) writes.push(messageWrites.announce(MESSAGES));
        await tx.execute(oneStatement(writes, messageWrites ? { [MESSAGES]: messageWrites.insert } : {}));
        return eventRef({ ...event, version });
      });
    },
  };
}
export type OperationRunner = ReturnType<typeof operationRunner>;
