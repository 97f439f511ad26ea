import type { AssistBody, DispatchBody, EventRef, FileInfo } from '@cityops/contracts';
import { z } from 'zod';
import { DelayBody, HandleBody, PERMISSIONS, ReportBody, ReturnBody, SignBody, TrackBody } from '@cityops/contracts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { hasPermission, type Principal } from '../../core/principal.js';
import { eventRepository } from './event.repository.js';
import type { HubDeps } from './hub.js';
import { nodeRepository, type NodeRow } from './node.repository.js';
import type { AttachmentStage } from './log.table.js';
import { OPEN_NODE_STATUSES } from './node.table.js';
import { orgOfNode, refusalError, type OpContext } from './operation.js';
import { requestRepository, type NewRequest } from './request.repository.js';
import type { RequestKind } from './request.table.js';
import { refuseEventAction, refuseNodeAction, type Actor, type NodeAction } from './state-machine.js';
import type { TargetMode } from './event-targets.service.js';

type Body<S extends z.ZodType> = z.infer<S>;

const KIND_NAMES: Record<RequestKind, string> = { delay: '延期', return: '退回', reply: '回复' };

/**
 * Operations on one organisation's node (its to-do): handle, track, report up, dispatch, ask for
 * assistance, sign, ask for a delay or a return; recall by the dispatching organisation; audits.
 * Each is one service entry point that a screen, a plan, a flow or an external system calls alike.
 */
export function nodeActionService(d: HubDeps) {
  const { runner } = d;

  /** Finds the node and asks the state machine, inside the operation's transaction. */
  function nodeFor(ctx: OpContext, nodeId: string, action: NodeAction): NodeRow {
    const node = ctx.nodes.find((n) => n.id === nodeId);
    if (!node) throw new NotFound('待办不存在');
    const refusal = refuseNodeAction(action, ctx, node, ctx.actor);
    if (refusal) throw refusalError(refusal);
    return node;
  }

  /** The event type's limit counted from now, for a new node. */
  async function defaultDeadline(eventId: string) {
    const event = await eventRepository(d.db).byId(eventId);
    if (!event) throw new NotFound('事件不存在');
    const type = await d.types.get(event.typeCode);
    if (!type) return { deadline: null, warnAt: null, warnRatio: 0.2 };
    const r = await d.clock.deadline(new Date(), { value: type.limitValue, unit: type.limitUnit, warnRatio: type.warnRatio });
    return { ...r, warnRatio: type.warnRatio };
  }

  /** When a node's moved deadline turns yellow: the type's 临期 share of the span since the node began. */
  async function warnAtOf(eventId: string, nodeId: string, deadline: Date) {
    const [event, nodes] = await Promise.all([eventRepository(d.db).byId(eventId), nodeRepository(d.db).ofEvent(eventId)]);
    const type = event ? await d.types.get(event.typeCode) : undefined;
    const since = nodes.find((n) => n.id === nodeId)?.createdAt ?? new Date();
    return d.clock.warnAtFor(since, deadline, type?.warnRatio ?? 0.2);
  }

  /** Target organisations, checked against what the actor may reach in `mode`: the organisations by id and how each is reached. */
  async function targetOrgs(actor: Actor, ids: string[], mode: TargetMode) {
    if (new Set(ids).size !== ids.length) throw new Invalid('同一单位不能重复选择');
    // Enabled organisations only: a disabled one is refused like a missing one.
    const { relations: allowed, orgs: byId } = await d.targets.candidates(actor, mode);
    for (const id of ids) {
      const org = byId.get(id);
      if (!org || !org.enabled) throw new Invalid('所选单位不存在或已停用');
      if (!allowed.has(id)) {
        const verb = mode === 'report' ? '上报' : mode === 'assist' ? '请求协助' : '交办';
        throw new Invalid(`「${org.name}」不在您可${verb}的单位范围内`);
      }
    }
    return { orgs: byId, relations: allowed };
  }

  const busyIn = (ctx: OpContext, orgIds: string[]) =>
    ctx.nodes.filter((n) => orgIds.includes(n.orgId) && OPEN_NODE_STATUSES.includes(n.status) && n.role !== 'cc');

  /** Ends a node and its open subtree (recall, approved return) and withdraws their requests. */
  async function cut(ctx: OpContext, node: NodeRow, status: 'recalled' | 'returned') {
    const ids = new Set([node.id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const n of ctx.nodes) if (n.parentId && ids.has(n.parentId) && !ids.has(n.id)) { ids.add(n.id); grew = true; }
    }
    for (const n of ctx.nodes) {
      if (!ids.has(n.id)) continue;
      if (n.id === node.id) ctx.patchNode(n, { status, endedAt: ctx.now });
      else if (OPEN_NODE_STATUSES.includes(n.status)) ctx.patchNode(n, { status: 'recalled', endedAt: ctx.now });
    }
    await requestRepository(ctx.tx).withdrawForNodes(ctx.event.id, [...ids]);
    // Closing rights given away with the node come back to the organisation that gave them.
    const ownerGone = !ctx.nodes.some((n) => n.orgId === ctx.event.ownerOrgId && OPEN_NODE_STATUSES.includes(n.status) && n.role !== 'cc');
    const parent = ctx.nodes.find((n) => n.id === node.parentId);
    if (ownerGone && parent) ctx.patchEvent({ ownerOrgId: parent.orgId });
  }

  /**
   * Files a request for the dispatching organisation (`parent`) to audit — 延期, 退回 or 回复 — with its
   * timeline row (`<kind>_request`) and the auditor's message; the node stays a to-do meanwhile.
   */
  function requestAudit(
    ctx: OpContext, node: NodeRow, parent: NodeRow, title: string,
    request: Pick<NewRequest, 'kind' | 'reason' | 'oldDeadline' | 'newDeadline'>,
    log: { files?: FileInfo[]; stage?: AttachmentStage; detail?: Record<string, unknown> } = {},
  ) {
    const { actor } = ctx;
    ctx.write(requestRepository(ctx.tx).insert({
      eventId: ctx.event.id, nodeId: node.id, ...request,
      applicantOrgId: actor.orgId, applicantOrgName: actor.orgName, applicantId: actor.userId, applicantName: actor.name,
      auditorOrgId: parent.orgId, auditorOrgName: parent.orgName, createdAt: ctx.now,
    }));
    ctx.log(`${request.kind}_request`, { nodeId: node.id, opinion: request.reason, ...log, detail: { ...log.detail, auditorOrgName: parent.orgName } });
    ctx.notify([parent.orgId], 'audit', `「${actor.orgName}」${title}，请审核`, request.reason);
  }

  /**
   * A handling result takes effect: at once on 办理, or when the dispatcher approves a 回复申请.
   * The node waits until any assistants finish; settling moves it on to submitted / closing.
   */
  function submitHandling(ctx: OpContext, node: NodeRow, by: { userId: string; name: string; orgName: string }, opinion: string) {
    ctx.patchNode(node, { status: 'waiting', handledAt: ctx.now, handlerId: by.userId, handlerName: by.name, opinion });
    const parent = ctx.nodes.find((n) => n.id === node.parentId);
    if (parent && parent.orgId !== ctx.actor.orgId) ctx.notify([parent.orgId], 'submit', `「${by.orgName}」已提交事件「${ctx.event.title}」的办理结果`);
  }

  return {
    async handle(user: Principal, eventId: string, nodeId: string, body: Body<typeof HandleBody>): Promise<EventRef> {
      const actor = await runner.actor(user);
      const files = await d.files.describe(body.fileIds);
      return runner.run(actor, eventId, async (ctx) => {
        const node = nodeFor(ctx, nodeId, 'handle');
        const parent = ctx.nodes.find((n) => n.id === node.parentId);
        if (node.replyAudit && parent) {
          // 回复需审核: the result waits as a request until the dispatcher decides.
          requestAudit(ctx, node, parent, `提交了事件「${ctx.event.title}」的办理结果`, { kind: 'reply', reason: body.opinion }, { files, stage: 'after' });
          return;
        }
        submitHandling(ctx, node, actor, body.opinion);
        ctx.log('handle', { nodeId, opinion: body.opinion, files, stage: 'after' });
      });
    },

    async track(user: Principal, eventId: string, nodeId: string, body: Body<typeof TrackBody>): Promise<EventRef> {
      const actor = await runner.actor(user);
      const files = await d.files.describe(body.fileIds);
      return runner.run(actor, eventId, async (ctx) => {
        nodeFor(ctx, nodeId, 'track');
        ctx.log('track', { nodeId, opinion: body.content, files, stage: 'during' });
      });
    },

    async report(user: Principal, eventId: string, nodeId: string, body: Body<typeof ReportBody>): Promise<EventRef> {
      const actor = await runner.actor(user);
      const { orgs, relations } = await targetOrgs(actor, [body.targetOrgId], 'report');
      const target = orgs.get(body.targetOrgId)!;
      const toCity = relations.get(target.id) === 'city';
      const files = await d.files.describe(body.fileIds);
      const limit = await defaultDeadline(eventId);
      return runner.run(actor, eventId, async (ctx) => {
        const node = nodeFor(ctx, nodeId, 'report');
        if (busyIn(ctx, [target.id]).length) throw new Conflict(`「${target.name}」已在办理该事件`);
        ctx.patchNode(node, { status: 'reported', opinion: body.opinion, handledAt: ctx.now, handlerId: actor.userId, handlerName: actor.name, endedAt: ctx.now });
        ctx.addNodes([{
          parentId: node.id, ...orgOfNode(target), role: 'main', via: 'report', status: 'todo', fromOrgId: actor.orgId, fromOrgName: actor.orgName,
          deadline: limit.deadline, warnAt: limit.warnAt,
        }]);
        ctx.patchEvent({ ownerOrgId: target.id, ...(toCity ? { reportedToCity: true } : {}) });
        ctx.log('report', { nodeId, opinion: body.opinion, files, detail: { targetOrgName: target.name }, stage: 'during' });
        ctx.notify([target.id], 'report', `「${actor.orgName}」上报事件「${ctx.event.title}」，请处置`, body.opinion);
      });
    },

    async dispatch(user: Principal, eventId: string, nodeId: string, body: DispatchBody): Promise<EventRef> {
      const actor = await runner.actor(user);
      const handlers = body.targets.filter((t) => t.role !== 'cc');
      const mains = handlers.filter((t) => t.role === 'main');
      if (handlers.length && mains.length !== 1) throw new Invalid('交办时须设置且只能设置一个主办单位');
      if (body.transferClose && !mains.length) throw new Invalid('移交办结权限须指定主办单位');
      const { orgs } = await targetOrgs(actor, body.targets.map((t) => t.orgId), 'dispatch');
      const files = await Promise.all(body.targets.map((t) => d.files.describe(t.fileIds)));
      const limit = await defaultDeadline(eventId);
      const deadlines = await Promise.all(body.targets.map(async (t) => {
        if (t.role === 'cc') return { deadline: null, warnAt: null };
        if (!t.deadline) return limit;
        const deadline = new Date(t.deadline);
        if (deadline.getTime() <= Date.now()) throw new Invalid(`给「${orgs.get(t.orgId)!.name}」的办理期限须晚于当前时间`);
        return { deadline, warnAt: await d.clock.warnAtFor(new Date(), deadline, limit.warnRatio) };
      }));
      return runner.run(actor, eventId, async (ctx) => {
        const node = nodeFor(ctx, nodeId, 'dispatch');
        const busy = busyIn(ctx, handlers.map((t) => t.orgId));
        if (busy.length) throw new Conflict(`「${busy[0]!.orgName}」已在办理该事件`);
        const added = ctx.addNodes(body.targets.map((t, i) => ({
          parentId: node.id, ...orgOfNode(orgs.get(t.orgId)!), role: t.role, via: 'dispatch' as const, status: 'todo' as const,
          requirement: t.requirement ?? null, fromOrgId: actor.orgId, fromOrgName: actor.orgName, fromCity: actor.isCityCentre,
          deadline: deadlines[i]!.deadline, warnAt: deadlines[i]!.warnAt, replyAudit: t.role !== 'cc' && !!t.replyAudit,
        })));
        if (handlers.length) ctx.patchNode(node, { status: 'waiting' });
        if (body.transferClose) ctx.patchEvent({ ownerOrgId: mains[0]!.orgId });
        // 重点工单 set while dispatching follows the same rules as marking it on its own.
        if (body.isKey !== undefined && body.isKey !== ctx.event.isKey) {
          if (!hasPermission(user, PERMISSIONS.eventKey)) throw new Forbidden('您没有标记重点工单的权限');
          const refusal = refuseEventAction('key', ctx, actor);
          if (refusal) throw refusalError(refusal);
          ctx.patchEvent({ isKey: body.isKey });
        }
        if (actor.isCityCentre) ctx.patchEvent({ fromCity: true, ...(ctx.event.cityDispatchedAt ? {} : { cityDispatchedAt: ctx.now }) });
        const detail = {
          transferClose: body.transferClose,
          targets: body.targets.map((t, i) => ({
            nodeId: added[i]!.id, orgName: orgs.get(t.orgId)!.name, role: t.role, requirement: t.requirement ?? null,
            deadline: deadlines[i]!.deadline?.toISOString() ?? null, fileIds: t.fileIds, replyAudit: t.role !== 'cc' && !!t.replyAudit,
          })),
        };
        ctx.log('dispatch', { nodeId, opinion: body.opinion ?? null, detail, files: files.flat(), stage: 'during' });
        const title = `「${actor.orgName}」交办事件「${ctx.event.title}」`;
        ctx.notify(handlers.map((t) => t.orgId), 'dispatch', `${title}，请办理`);
        ctx.notify(body.targets.filter((t) => t.role === 'cc').map((t) => t.orgId), 'cc', `${title}，抄送您单位`);
      });
    },

    async assist(user: Principal, eventId: string, nodeId: string, body: AssistBody): Promise<EventRef> {
      const actor = await runner.actor(user);
      const { orgs } = await targetOrgs(actor, body.targets.map((t) => t.orgId), 'assist');
      const files = await Promise.all(body.targets.map((t) => d.files.describe(t.fileIds)));
      const limit = await defaultDeadline(eventId);
      return runner.run(actor, eventId, async (ctx) => {
        const node = nodeFor(ctx, nodeId, 'assist');
        const busy = busyIn(ctx, body.targets.map((t) => t.orgId));
        if (busy.length) throw new Conflict(`「${busy[0]!.orgName}」已在办理该事件`);
        const added = ctx.addNodes(body.targets.map((t) => ({
          parentId: node.id, ...orgOfNode(orgs.get(t.orgId)!), role: 'assist' as const, via: 'assist' as const, status: 'todo' as const,
          requirement: t.requirement, fromOrgId: actor.orgId, fromOrgName: actor.orgName, fromCity: actor.isCityCentre,
          deadline: limit.deadline, warnAt: limit.warnAt,
        })));
        const detail = { targets: body.targets.map((t, i) => ({ nodeId: added[i]!.id, orgName: orgs.get(t.orgId)!.name, requirement: t.requirement, fileIds: t.fileIds })) };
        ctx.log('assist', { nodeId, detail, files: files.flat(), stage: 'during' });
        ctx.notify(body.targets.map((t) => t.orgId), 'assist', `「${actor.orgName}」请求协助办理事件「${ctx.event.title}」`);
      });
    },

    async sign(user: Principal, eventId: string, nodeId: string, body: Body<typeof SignBody>): Promise<EventRef> {
      const actor = await runner.actor(user);
      return runner.run(actor, eventId, async (ctx) => {
        const node = nodeFor(ctx, nodeId, 'sign');
        ctx.patchNode(node, { signedAt: ctx.now, signedBy: actor.name, signOpinion: body.opinion });
        ctx.log('sign', { nodeId, opinion: body.opinion });
        if (node.fromOrgId) ctx.notify([node.fromOrgId], 'sign', `「${actor.orgName}」已签收事件「${ctx.event.title}」`, body.opinion);
      });
    },

    async delay(user: Principal, eventId: string, nodeId: string, body: Body<typeof DelayBody>): Promise<EventRef> {
      const actor = await runner.actor(user);
      const newDeadline = new Date(body.newDeadline);
      if (Number.isNaN(newDeadline.getTime()) || newDeadline.getTime() <= Date.now()) throw new Invalid('延期后的期限须晚于当前时间');
      const warnAt = await warnAtOf(eventId, nodeId, newDeadline);
      return runner.run(actor, eventId, async (ctx) => {
        const node = nodeFor(ctx, nodeId, 'delay');
        if (newDeadline <= node.deadline!) throw new Invalid('延期后的期限须晚于原办理期限');
        const parent = ctx.nodes.find((n) => n.id === node.parentId);
        // 本级自处理 (initiated here, or reported up to here): effective at once; else the dispatcher audits.
        if (node.via === 'initiate' || node.via === 'report' || !parent) {
          const detail = { oldDeadline: node.deadline!.toISOString(), newDeadline: newDeadline.toISOString() };
          ctx.patchNode(node, { deadline: newDeadline, warnAt, warnedAt: null, overdueAt: null });
          if (node.orgId === ctx.event.ownerOrgId) ctx.patchEvent({ deadline: newDeadline, warnAt });
          ctx.log('delay', { nodeId, opinion: body.reason, detail });
          return;
        }
        requestAudit(ctx, node, parent, `申请延期办理事件「${ctx.event.title}」`, { kind: 'delay', reason: body.reason, oldDeadline: node.deadline, newDeadline }, {
          detail: { oldDeadline: node.deadline!.toISOString(), newDeadline: newDeadline.toISOString() },
        });
      });
    },

    async requestReturn(user: Principal, eventId: string, nodeId: string, body: Body<typeof ReturnBody>): Promise<EventRef> {
      const actor = await runner.actor(user);
      const files = await d.files.describe(body.fileIds);
      return runner.run(actor, eventId, async (ctx) => {
        const node = nodeFor(ctx, nodeId, 'return');
        const parent = ctx.nodes.find((n) => n.id === node.parentId)!;
        requestAudit(ctx, node, parent, `申请退回事件「${ctx.event.title}」`, { kind: 'return', reason: body.reason }, { files });
      });
    },

    async recall(user: Principal, eventId: string, nodeId: string, reason: string): Promise<EventRef> {
      const actor = await runner.actor(user);
      return runner.run(actor, eventId, async (ctx) => {
        const node = nodeFor(ctx, nodeId, 'recall');
        await cut(ctx, node, 'recalled');
        ctx.log('recall', { nodeId, opinion: reason || null, detail: { orgName: node.orgName } });
        ctx.notify([node.orgId], 'recall', `「${actor.orgName}」撤回了对您单位的交办：「${ctx.event.title}」`, reason);
      });
    },

    async read(user: Principal, eventId: string, nodeId: string): Promise<EventRef> {
      const actor = await runner.actor(user);
      return runner.run(actor, eventId, async (ctx) => {
        const node = nodeFor(ctx, nodeId, 'read');
        ctx.patchNode(node, { status: 'read', endedAt: ctx.now, handlerId: actor.userId, handlerName: actor.name, handledAt: ctx.now });
        ctx.log('read', { nodeId });
      });
    },

    /** 审核 a delay, return or reply request: the dispatching organisation decides. */
    async audit(user: Principal, requestId: string, body: { approve: boolean; opinion: string }): Promise<EventRef> {
      const actor = await runner.actor(user);
      const request = await requestRepository(d.db).byId(requestId);
      if (!request) throw new NotFound('申请不存在');
      const warnAt = request.newDeadline ? await warnAtOf(request.eventId, request.nodeId, request.newDeadline) : null;
      return runner.run(actor, request.eventId, async (ctx) => {
        const current = await requestRepository(ctx.tx).byId(requestId);
        if (current?.status !== 'pending') throw new Conflict('该申请已审核或已撤销');
        if (current.auditorOrgId !== actor.orgId) throw refusalError({ status: 403, message: '只有交办单位可以审核该申请' });
        const node = ctx.nodes.find((n) => n.id === current.nodeId)!;
        await requestRepository(ctx.tx).decide(requestId, {
          status: body.approve ? 'approved' : 'refused', auditorId: actor.userId, auditorName: actor.name, auditOpinion: body.opinion || null, auditedAt: ctx.now,
        });
        if (body.approve && current.kind === 'delay') {
          ctx.patchNode(node, { deadline: current.newDeadline, warnAt, warnedAt: null, overdueAt: null });
          if (node.orgId === ctx.event.ownerOrgId) ctx.patchEvent({ deadline: current.newDeadline, warnAt });
        }
        if (body.approve && current.kind === 'return') await cut(ctx, node, 'returned');
        if (body.approve && current.kind === 'reply') {
          submitHandling(ctx, node, { userId: current.applicantId, name: current.applicantName, orgName: current.applicantOrgName }, current.reason);
        }
        const kindName = KIND_NAMES[current.kind];
        ctx.log(body.approve ? 'audit_approve' : 'audit_refuse', {
          nodeId: node.id, opinion: body.opinion || null, detail: { kind: current.kind, applicantOrgName: current.applicantOrgName, reason: current.reason },
        });
        ctx.notify([current.applicantOrgId], 'audit_result', `事件「${ctx.event.title}」的${kindName}申请${body.approve ? '已通过' : '未通过'}`, body.opinion);
      });
    },
  };
}
export type NodeActionService = ReturnType<typeof nodeActionService>;
