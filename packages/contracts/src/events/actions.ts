import { z } from 'zod';
import { IsoDateTime } from '../common.js';
import { FileIds } from '../files.js';
import { NodeRole } from './event.js';

const opinion = (what: string, max = 2000) => z.string().trim().min(1, `请填写${what}`).max(max, `${what}不能超过 ${max} 个字`);

export const HandleBody = z.object({ opinion: opinion('处理意见'), fileIds: FileIds });
export const TrackBody = z.object({ content: opinion('办理情况'), fileIds: FileIds });
export const ReportBody = z.object({ targetOrgId: z.string().uuid('请选择上报单位'), opinion: opinion('上报意见'), fileIds: FileIds });

export const DispatchTarget = z.object({
  orgId: z.string().uuid('交办单位无效'),
  role: NodeRole,
  requirement: z.string().trim().max(2000, '办理要求不能超过 2000 个字').optional(),
  fileIds: FileIds,
  /** Defaults to the event type's time limit counted from now. */
  deadline: IsoDateTime.optional(),
  /** 回复需审核: the target's handling result waits for the dispatcher's approval (absent: no). */
  replyAudit: z.boolean().optional(),
});
export type DispatchTarget = z.infer<typeof DispatchTarget>;

export const DispatchBody = z.object({
  targets: z.array(DispatchTarget).min(1, '请选择交办单位').max(50, '一次最多交办 50 个单位'),
  opinion: z.string().trim().max(2000).optional(),
  /** 办结权限移交: the main organisation becomes the closing organisation. */
  transferClose: z.boolean().default(false),
  /** 重点工单, set with the dispatch by those who may mark it (the same rules as marking it alone). */
  isKey: z.boolean().optional(),
});
export type DispatchBody = z.infer<typeof DispatchBody>;

export const AssistBody = z.object({
  targets: z.array(z.object({
    orgId: z.string().uuid('协办单位无效'),
    requirement: z.string().trim().min(1, '请填写对协办单位的办理要求').max(2000),
    fileIds: FileIds,
  })).min(1, '请选择协办单位').max(20),
});
export type AssistBody = z.infer<typeof AssistBody>;

export const SignBody = z.object({ opinion: z.string().trim().max(500).default('已签收') });
export const DelayBody = z.object({ newDeadline: IsoDateTime, reason: opinion('延期理由', 500) });
export const ReturnBody = z.object({ reason: opinion('退回原因', 500), fileIds: FileIds });
export const RecallBody = z.object({ reason: z.string().trim().max(500).default('') });
export const VoidBody = z.object({ reason: opinion('作废原因', 500) });
export const KeyBody = z.object({ isKey: z.boolean() });

/** 批示 / 督办: filled in from the current user, editable. */
export const DirectiveBody = z.object({
  person: z.string().trim().min(1, '请填写姓名').max(30),
  dept: z.string().trim().min(1, '请填写部门').max(60),
  position: z.string().trim().max(30).optional(),
  issuedAt: IsoDateTime.optional(),
  content: opinion('内容'),
  fileIds: FileIds,
});
export type DirectiveBody = z.infer<typeof DirectiveBody>;

/** 核验退回: the submitted nodes that must handle again. */
export const ReworkBody = z.object({
  nodeIds: z.array(z.string().uuid()).min(1, '请选择需要重新办理的单位').max(50),
  opinion: opinion('退回意见'),
});
export const CloseBody = z.object({ opinion: opinion('结案意见'), fileIds: FileIds });
export const ReopenBody = z.object({ reason: opinion('重启原因', 500) });
export const AuditBody = z.object({ approve: z.boolean(), opinion: z.string().trim().max(500).default('') });
