import { api } from '@/api/client';

/** The actions whose dialog is one text (opinion, reason…) with or without attachments. */
export type OpinionAction = 'handle' | 'track' | 'sign' | 'return' | 'close' | 'force-close' | 'void' | 'reopen';

export interface OpinionSpec {
  title: string;
  label: string;
  placeholder: string;
  maxlength: number;
  /** Optional text (签收: the server writes 已签收). */
  optional?: boolean;
  withFiles: boolean;
  submitText: string;
  success: string;
  /** Destructive: asked again before it runs. */
  confirm?: { title: string; message: string; button: string };
  /** What the dialog shows above the form. */
  context?: 'requirement' | 'results' | 'auditor' | 'void';
  /** Text the box starts with. */
  initial?: string;
  call: (a: { eventId: string; nodeId: string; text: string; fileIds: string[] }) => Promise<unknown>;
}

const quiet = { showError: false } as const;
const node = (a: { eventId: string; nodeId: string }) => ({ id: a.eventId, nodeId: a.nodeId });

/** Wording as in the tender: 处理意见, 办理情况, 退回原因, 结案意见, 作废原因, 重启原因, 签收意见. */
export const OPINION_SPECS: Record<OpinionAction, OpinionSpec> = {
  handle: {
    title: '办理', label: '处理意见', placeholder: '请填写处理情况和处理结果', maxlength: 2000, withFiles: true,
    submitText: '提交办理结果', success: '办理结果已提交', context: 'requirement',
    call: (a) => api.eventHandle({ params: node(a), body: { opinion: a.text, fileIds: a.fileIds } }, quiet),
  },
  track: {
    title: '跟踪', label: '办理情况', placeholder: '请描述目前的办理进展，相关单位可实时查看', maxlength: 2000, withFiles: true,
    submitText: '保存跟踪记录', success: '跟踪记录已保存', context: 'requirement',
    call: (a) => api.eventTrack({ params: node(a), body: { content: a.text, fileIds: a.fileIds } }, quiet),
  },
  sign: {
    title: '签收', label: '签收意见', placeholder: '可填写签收意见', maxlength: 500, optional: true, withFiles: false,
    submitText: '确认签收', success: '已签收，市城运中心可看到签收情况', initial: '已签收', context: 'requirement',
    call: (a) => api.eventSign({ params: node(a), body: { opinion: a.text || '已签收' } }, quiet),
  },
  return: {
    title: '申请退回', label: '退回原因', placeholder: '请说明退回原因，如属错交请写明应由哪个单位办理', maxlength: 500, withFiles: true,
    submitText: '提交退回申请', success: '退回申请已提交，请等待交办单位审核', context: 'auditor',
    call: (a) => api.eventReturn({ params: node(a), body: { reason: a.text, fileIds: a.fileIds } }, quiet),
  },
  close: {
    title: '结案', label: '结案意见', placeholder: '请填写核验情况和结案意见', maxlength: 2000, withFiles: true,
    submitText: '提交结案', success: '事件已结案', context: 'results',
    call: (a) => api.eventClose({ params: { id: a.eventId }, body: { opinion: a.text, fileIds: a.fileIds } }, quiet),
  },
  'force-close': {
    title: '强制办结', label: '结案意见', placeholder: '请说明强制办结的原因，如已核实事件已结案或失效', maxlength: 2000, withFiles: true,
    submitText: '强制办结', success: '事件已强制办结', context: 'results',
    confirm: { title: '强制办结', message: '强制办结后，各责任单位无需再办理，未完成的待办将全部结束。确定强制办结吗？', button: '强制办结' },
    call: (a) => api.eventForceClose({ params: { id: a.eventId }, body: { opinion: a.text, fileIds: a.fileIds } }, quiet),
  },
  void: {
    title: '作废', label: '作废原因', placeholder: '请说明作废原因，如重复上报、无效事件', maxlength: 500, withFiles: false,
    submitText: '作废', success: '事件已作废', context: 'void',
    confirm: { title: '作废事件', message: '作废后该事件不再流转处置，但仍可在事件查询中查到。确定作废吗？', button: '作废' },
    call: (a) => api.eventVoid({ params: { id: a.eventId }, body: { reason: a.text } }, quiet),
  },
  reopen: {
    title: '重启', label: '重启原因', placeholder: '请说明需要重新办理的原因', maxlength: 500, withFiles: false,
    submitText: '重启事件', success: '事件已重启，已回到本单位的待办中',
    call: (a) => api.eventReopen({ params: { id: a.eventId }, body: { reason: a.text } }, quiet),
  },
};
