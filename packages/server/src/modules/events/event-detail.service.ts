import { DICT, EVENT_ACTION_LABELS, type Attachment, type AvailableAction, type EventDetail, type FileInfo } from '@cityops/contracts';
import type { DbOrTx } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import type { DictService } from '../system/dict.service.js';
import type { ScopeService } from '../system/scope.service.js';
import { eventDetailRepository } from './event-detail.repository.js';
import { summarise } from './event-summary.js';
import type { EventRowDb } from './event.repository.js';
import type { evtAttachment } from './log.table.js';
import type { NodeRow } from './node.repository.js';
import type { RequestRow } from './request.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type AttachmentRow = typeof evtAttachment.$inferSelect;
const fileInfo = (a: AttachmentRow): FileInfo => ({
  id: a.fileId,
  name: a.name,
  mime: a.mime,
  size: a.size,
  createdAt: a.createdAt.toISOString(),
  url: `/api/files/${a.fileId}`,
});

/** The rows the detail has read, from which the actions are worked out (nothing is read twice). */
export interface ActionRows {
  event: EventRowDb;
  nodes: NodeRow[];
  /** Every request of the event; the pending ones count. */
  requests: RequestRow[];
}
/** What the user may do now, worked out by the state machine (write side, `available-actions.ts`). */
export type ActionsFor = (user: Principal, rows: ActionRows) => Promise<AvailableAction[]>;

/**
 * 事件详情: information and attachments by stage, the handling tree with plates, the timeline,
 * 批示/督办, requests and 处置汇总, and the actions `actionsFor` allows (none without it).
 */
export function eventDetailService(d: { db: DbOrTx; scope: ScopeService; dicts: DictService; actionsFor?: ActionsFor }) {
  const repo = eventDetailRepository(d.db);

  return {
    /**
     * Visible when the event is in the user's 本级及下级 scope, or they created it or acted on it;
     * anything else is "not found", so that the answer does not reveal that the event exists.
     */
    async detail(user: Principal, id: string): Promise<EventDetail> {
      const notFound = new NotFound('事件不存在或您无权查看');
      if (!isUuid(id)) throw notFound;
      const found = await repo.event(id, { userId: user.id, scope: await d.scope.eventScope(user) });
      if (!found?.visible) throw notFound;
      const e = found.event;
      if (e.status === 'draft' && e.creatorId !== user.id) throw notFound;

      const [nodes, logs, files, directives, requests, levelLabel] = await Promise.all([
        repo.nodes(id),
        repo.logs(id),
        repo.attachments(id),
        repo.directives(id),
        repo.requests(id),
        d.dicts.labeller(DICT.orgLevel),
      ]);

      const tree = nodes.map((x) => x.node);
      const actions = (await d.actionsFor?.(user, { event: e, nodes: tree, requests })) ?? [];

      const attachments: EventDetail['attachments'] = { before: [], during: [], after: [] };
      const byLog = new Map<string, FileInfo[]>();
      for (const a of files) {
        const att: Attachment = { ...fileInfo(a), stage: a.stage, logId: a.logId };
        attachments[a.stage].push(att);
        if (a.logId) byLog.set(a.logId, [...(byLog.get(a.logId) ?? []), fileInfo(a)]);
      }

      return {
        event: {
          id: e.id,
          no: e.no,
          title: e.title,
          source: e.source,
          typeCode: e.typeCode,
          typeName: found.typeName ?? e.typeCode,
          isKey: e.isKey,
          supervised: e.supervised,
          regionCode: e.regionCode,
          regionName: found.regionName,
          status: e.status,
          plate: found.plate,
          deadline: iso(e.deadline),
          creatorOrgName: e.creatorOrgName,
          cityDispatchedAt: iso(e.cityDispatchedAt),
          occurredAt: iso(e.occurredAt),
          createdAt: e.createdAt.toISOString(),
          updatedAt: e.updatedAt.toISOString(),
          content: e.content,
          formData: e.formData,
          address: e.address,
          lat: e.lat,
          lng: e.lng,
          creatorName: e.creatorName,
          ownerOrgId: e.ownerOrgId,
          ownerOrgName: found.ownerOrgName,
          reportedToCity: e.reportedToCity,
          forced: e.forced,
          closeOpinion: e.closeOpinion,
          voidReason: e.voidReason,
          closedAt: iso(e.closedAt),
          typeCategory: found.typeCategory ?? 'normal',
          version: e.version,
        },
        attachments,
        tree: nodes.map(({ node: n, plate }) => ({
          id: n.id,
          parentId: n.parentId,
          orgId: n.orgId,
          orgName: n.orgName,
          orgLevel: n.orgLevel,
          role: n.role,
          via: n.via,
          status: n.status,
          requirement: n.requirement,
          fromOrgName: n.fromOrgName,
          replyAudit: n.replyAudit,
          deadline: iso(n.deadline),
          plate,
          signedAt: iso(n.signedAt),
          signOpinion: n.signOpinion,
          handledAt: iso(n.handledAt),
          handlerName: n.handlerName,
          opinion: n.opinion,
          createdAt: n.createdAt.toISOString(),
        })),
        timeline: logs.map((l) => ({
          id: l.id,
          nodeId: l.nodeId,
          action: l.action,
          actionName: EVENT_ACTION_LABELS[l.action] ?? l.action,
          actorName: l.actorName,
          actorOrgName: l.actorOrgName,
          opinion: l.opinion,
          detail: l.detail,
          isCity: l.isCity,
          attachments: byLog.get(l.id) ?? [],
          createdAt: l.createdAt.toISOString(),
        })),
        directives: directives.map((x) => ({
          id: x.id,
          kind: x.kind,
          person: x.person,
          dept: x.dept,
          position: x.position,
          issuedAt: x.issuedAt.toISOString(),
          content: x.content,
        })),
        requests: requests.map((r) => ({
          id: r.id,
          eventId: r.eventId,
          eventNo: e.no,
          eventTitle: e.title,
          isKey: e.isKey,
          source: e.source,
          nodeId: r.nodeId,
          kind: r.kind,
          status: r.status,
          reason: r.reason,
          oldDeadline: iso(r.oldDeadline),
          newDeadline: iso(r.newDeadline),
          applicantOrgName: r.applicantOrgName,
          applicantName: r.applicantName,
          auditorOrgName: r.auditorOrgName,
          auditorName: r.auditorName,
          auditOpinion: r.auditOpinion,
          createdAt: r.createdAt.toISOString(),
          auditedAt: iso(r.auditedAt),
        })),
        summary: summarise(e, tree, levelLabel),
        actions,
      };
    },
  };
}
export type EventDetailService = ReturnType<typeof eventDetailService>;
