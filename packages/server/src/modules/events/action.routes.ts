import type { FastifyInstance, FastifyRequest } from 'fastify';
import { endpoints, type EventRef } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { EventActionService } from './event-actions.service.js';
import type { EventIntakeService } from './event-intake.service.js';
import type { NodeActionService } from './node-actions.service.js';

export interface ActionRouteDeps {
  intake: EventIntakeService;
  nodes: NodeActionService;
  events: EventActionService;
}

/** The operation log names the event by its number once the operation has run. */
const logged = (req: FastifyRequest, type: string) => async (ref: Promise<EventRef>) => {
  const r = await ref;
  req.audit = { type, subjectType: '事件', subjectName: r.no ?? r.id };
  return r;
};

/** Every write operation of the event hub: one route, one service call. */
export function eventActionRoutes(app: FastifyInstance, d: ActionRouteDeps) {
  route(app, endpoints.eventCreate, ({ user, body, req }) => logged(req, body.submit ? '发起事件' : '保存草稿')(d.intake.create(user, body)));
  route(app, endpoints.eventDraftUpdate, ({ user, params, body, req }) => logged(req, '编辑草稿')(d.intake.updateDraft(user, params.id, body)));
  route(app, endpoints.eventDraftSubmit, ({ user, params, req }) => logged(req, '发起事件')(d.intake.submitDraft(user, params.id)));
  route(app, endpoints.eventDraftDelete, async ({ user, params, req }) => {
    const row = await d.intake.deleteDraft(user, params.id);
    req.audit = { type: '删除草稿', subjectType: '事件', subjectName: row.title };
    return { ok: true as const };
  });

  const n = d.nodes;
  route(app, endpoints.eventHandle, ({ user, params, body, req }) => logged(req, '办理')(n.handle(user, params.id, params.nodeId, body)));
  route(app, endpoints.eventTrack, ({ user, params, body, req }) => logged(req, '跟踪')(n.track(user, params.id, params.nodeId, body)));
  route(app, endpoints.eventReport, ({ user, params, body, req }) => logged(req, '上报')(n.report(user, params.id, params.nodeId, body)));
  route(app, endpoints.eventDispatch, ({ user, params, body, req }) => logged(req, '交办')(n.dispatch(user, params.id, params.nodeId, body)));
  route(app, endpoints.eventAssist, ({ user, params, body, req }) => logged(req, '申请协助')(n.assist(user, params.id, params.nodeId, body)));
  route(app, endpoints.eventSign, ({ user, params, body, req }) => logged(req, '签收')(n.sign(user, params.id, params.nodeId, body)));
  route(app, endpoints.eventDelay, ({ user, params, body, req }) => logged(req, '申请延期')(n.delay(user, params.id, params.nodeId, body)));
  route(app, endpoints.eventReturn, ({ user, params, body, req }) => logged(req, '申请退回')(n.requestReturn(user, params.id, params.nodeId, body)));
  route(app, endpoints.eventRecall, ({ user, params, body, req }) => logged(req, '撤回')(n.recall(user, params.id, params.nodeId, body.reason)));
  route(app, endpoints.eventRead, ({ user, params, req }) => logged(req, '已阅')(n.read(user, params.id, params.nodeId)));
  route(app, endpoints.eventRequestAudit, ({ user, params, body, req }) => logged(req, body.approve ? '审核通过' : '审核不通过')(n.audit(user, params.id, body)));

  const e = d.events;
  route(app, endpoints.eventVoid, ({ user, params, body, req }) => logged(req, '作废')(e.voidEvent(user, params.id, body.reason)));
  route(app, endpoints.eventKey, ({ user, params, body, req }) => logged(req, body.isKey ? '标记重点工单' : '取消重点工单')(e.setKey(user, params.id, body.isKey)));
  route(app, endpoints.eventInstruct, ({ user, params, body, req }) => logged(req, '批示')(e.instruct(user, params.id, body)));
  route(app, endpoints.eventSupervise, ({ user, params, body, req }) => logged(req, '督办')(e.supervise(user, params.id, body)));
  route(app, endpoints.eventRework, ({ user, params, body, req }) => logged(req, '核验退回')(e.rework(user, params.id, body)));
  route(app, endpoints.eventClose, ({ user, params, body, req }) => logged(req, '结案')(e.close(user, params.id, body)));
  route(app, endpoints.eventForceClose, ({ user, params, body, req }) => logged(req, '强制办结')(e.forceClose(user, params.id, body)));
  route(app, endpoints.eventReopen, ({ user, params, body, req }) => logged(req, '重启')(e.reopen(user, params.id, body.reason)));
}
