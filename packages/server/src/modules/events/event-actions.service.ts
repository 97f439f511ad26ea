import type { DirectiveBody, EventRef } from '@cityops/contracts';
import { Invalid, NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { EventRowDb } from './event.repository.js';
import type { HubDeps } from './hub.js';
import { OPEN_NODE_STATUSES } from './node.table.js';
import { refusalError, type OpContext } from './operation.js';
import { requestRepository } from './request.repository.js';
import { refuseEventAction, ownerNode, type EventAction } from './state-machine.js';
import { trailRepository } from './trail.repository.js';

/**
 * Operations on an event as a whole: void, key order, instruct, supervise, verify (rework), close,
 * force close, reopen. Same shape as the node operations: one entry point, one transaction.
 */
export function eventActionService(d: HubDeps) {
  const { runner } = d;

  function allow(ctx: OpContext, action: EventAction) {
    const refusal = refuseEventAction(action, ctx, ctx.actor);
    if (refusal) throw refusalError(refusal);
  }

  /**
   * 批示 / 督办 reach only those who can see the event (本级 and above): the check, made on the event
   * the operation has locked (the scope comes from the cache, before the transaction).
   */
  async function visibleTo(user: Principal) {
    const scope = await d.scope.eventScope(user);
    const ids = new Set([...scope.self, ...scope.children]);
    return (event: EventRowDb) => {
      if (!scope.all && !event.orgIds.some((id) => ids.has(id)) && event.creatorId !== user.id) throw new NotFound('事件不存在');
    };
  }

  /** Ends every open node and withdraws pending requests (close, force close, void). */
  function finishAll(ctx: OpContext) {
    const open = ctx.nodes.filter((n) => OPEN_NODE_STATUSES.includes(n.status) || (n.role === 'cc' && n.status === 'todo'));
    for (const n of open) ctx.patchNode(n, { status: 'finished', endedAt: ctx.now });
    ctx.write(requestRepository(ctx.tx).withdrawForNodes(ctx.event.id, ctx.nodes.map((n) => n.id)));
  }

  const openOrgIds = (ctx: OpContext) => ctx.nodes.filter((n) => OPEN_NODE_STATUSES.includes(n.status)).map((n) => n.orgId);

  async function directive(user: Principal, eventId: string, kind: 'instruct' | 'supervise', body: DirectiveBody): Promise<EventRef> {
    const actor = await runner.actor(user);
    const assertVisible = await visibleTo(user);
    const files = await d.files.describe(body.fileIds);
    const issuedAt = body.issuedAt ? new Date(body.issuedAt) : new Date();
    if (Number.isNaN(issuedAt.getTime())) throw new Invalid('时间格式无效');
    return runner.run(actor, eventId, async (ctx) => {
      assertVisible(ctx.event);
      allow(ctx, kind);
      ctx.write(trailRepository(ctx.tx).insertDirective({
        eventId, kind, person: body.person, dept: body.dept, position: body.position ?? null, issuedAt, content: body.content, userId: actor.userId, orgId: actor.orgId,
      }));
      if (kind === 'supervise') ctx.patchEvent({ supervised: true });
      ctx.log(kind, { opinion: body.content, files, detail: { person: body.person, dept: body.dept, position: body.position ?? null, issuedAt: issuedAt.toISOString() } });
      const name = kind === 'instruct' ? '批示' : '督办';
      ctx.notify([...openOrgIds(ctx), ctx.event.ownerOrgId ?? ''].filter(Boolean), kind, `${body.person}对事件「${ctx.event.title}」作出${name}`, body.content);
    });
  }

  async function close(user: Principal, eventId: string, body: { opinion: string; fileIds: string[] }, forced: boolean): Promise<EventRef> {
    const actor = await runner.actor(user);
    const files = await d.files.describe(body.fileIds);
    return runner.run(actor, eventId, async (ctx) => {
      allow(ctx, forced ? 'force-close' : 'close');
      finishAll(ctx);
      ctx.patchEvent({ status: 'closed', closedAt: ctx.now, closeOpinion: body.opinion, forced });
      ctx.log(forced ? 'force_close' : 'close', { opinion: body.opinion, files, stage: 'after' });
      if (ctx.event.creatorOrgId !== actor.orgId) ctx.notify([ctx.event.creatorOrgId], 'closed', `您单位发起的事件「${ctx.event.title}」已办结`);
    });
  }

  return {
    async voidEvent(user: Principal, eventId: string, reason: string): Promise<EventRef> {
      const actor = await runner.actor(user);
      return runner.run(actor, eventId, async (ctx) => {
        allow(ctx, 'void');
        finishAll(ctx);
        ctx.patchEvent({ status: 'voided', voidReason: reason, closedAt: ctx.now });
        ctx.log('void', { opinion: reason });
      });
    },

    async setKey(user: Principal, eventId: string, isKey: boolean): Promise<EventRef> {
      const actor = await runner.actor(user);
      const assertVisible = await visibleTo(user);
      return runner.run(actor, eventId, async (ctx) => {
        assertVisible(ctx.event);
        allow(ctx, 'key');
        if (ctx.event.isKey === isKey) throw refusalError({ status: 409, message: isKey ? '该事件已是重点工单' : '该事件不是重点工单' });
        ctx.patchEvent({ isKey });
        ctx.log(isKey ? 'key' : 'unkey');
      });
    },

    instruct: (user: Principal, eventId: string, body: DirectiveBody) => directive(user, eventId, 'instruct', body),
    supervise: (user: Principal, eventId: string, body: DirectiveBody) => directive(user, eventId, 'supervise', body),

    /** 处置核验退回: the chosen submitted nodes handle again; the closing to-do disappears. */
    async rework(user: Principal, eventId: string, body: { nodeIds: string[]; opinion: string }): Promise<EventRef> {
      const actor = await runner.actor(user);
      return runner.run(actor, eventId, async (ctx) => {
        allow(ctx, 'rework');
        const owner = ownerNode(ctx.event, ctx.nodes)!;
        const chosen = body.nodeIds.map((id) => ctx.nodes.find((n) => n.id === id));
        for (const n of chosen) {
          if (!n || n.status !== 'submitted' || n.role === 'cc') throw new Invalid('只能退回已提交办理结果的主办或协办单位');
        }
        for (const n of chosen) {
          ctx.patchNode(n!, { status: 'todo', handledAt: null, endedAt: null });
          // Its submitted ancestors wait for it again, up to the closing organisation.
          for (let p = ctx.nodes.find((x) => x.id === n!.parentId); p && p.id !== owner.id; p = ctx.nodes.find((x) => x.id === p!.parentId)) {
            if (p.status === 'submitted') ctx.patchNode(p, { status: 'waiting', endedAt: null });
          }
        }
        ctx.patchNode(owner, { status: 'waiting' });
        ctx.patchEvent({ status: 'processing', submittedAt: null });
        ctx.log('rework', { opinion: body.opinion, detail: { orgNames: chosen.map((n) => n!.orgName) } });
        ctx.notify(chosen.map((n) => n!.orgId), 'rework', `事件「${ctx.event.title}」核验未通过，请重新办理`, body.opinion);
      });
    },

    close: (user: Principal, eventId: string, body: { opinion: string; fileIds: string[] }) => close(user, eventId, body, false),
    forceClose: (user: Principal, eventId: string, body: { opinion: string; fileIds: string[] }) => close(user, eventId, body, true),

    async reopen(user: Principal, eventId: string, reason: string): Promise<EventRef> {
      const actor = await runner.actor(user);
      return runner.run(actor, eventId, async (ctx) => {
        allow(ctx, 'reopen');
        const mine = ctx.nodes.filter((n) => n.orgId === actor.orgId && n.role !== 'cc');
        const node = mine.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
        if (!node) throw refusalError({ status: 409, message: '找不到结案单位的办理记录，不能重启' });
        ctx.patchNode(node, { status: 'todo', handledAt: null, endedAt: null });
        ctx.patchEvent({ status: 'processing', closedAt: null, closeOpinion: null, forced: false, submittedAt: null });
        ctx.log('reopen', { nodeId: node.id, opinion: reason });
      });
    },
  };

}
export type EventActionService = ReturnType<typeof eventActionService>;
