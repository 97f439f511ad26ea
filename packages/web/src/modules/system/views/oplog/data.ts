import type { OpLog } from '@cityops/contracts';
import type { SearchField, TableColumn } from '@/components/crud/types';
import type { OplogSearch } from '../../api';
import { formatDateTime } from '@/utils/format';

/** Operation types the server records. */
export const OPLOG_TYPES = ['新增', '修改', '删除', '登录', '登出', '其他'] as const;

/** Tag colour per operation type. */
export const OPLOG_TYPE_TAGS: Record<string, 'primary' | 'success' | 'warning' | 'danger' | 'info'> = {
  新增: 'success',
  修改: 'warning',
  删除: 'danger',
  登录: 'primary',
  登出: 'info',
  其他: 'info',
};

export const createSearch = (): OplogSearch => ({ username: '', type: '', range: null });

export const searchFields: SearchField[] = [
  { prop: 'username', label: '操作人', type: 'input', placeholder: '请输入操作人账号', maxlength: 64 },
  { prop: 'type', label: '操作类型', type: 'select', options: OPLOG_TYPES.map((t) => ({ label: t, value: t })) },
  { prop: 'range', label: '操作时间', type: 'datetimerange' },
];

export const columns: TableColumn<OpLog>[] = [
  { prop: 'at', label: '时间', width: 170, format: (r) => formatDateTime(r.at) },
  { prop: 'username', label: '操作人', width: 120, tooltip: true },
  { prop: 'orgName', label: '机构', minWidth: 140, tooltip: true },
  { prop: 'type', label: '类型', width: 80, align: 'center', slot: 'type' },
  { prop: 'url', label: '请求', minWidth: 260, slot: 'request' },
  {
    prop: 'subjectName',
    label: '对象',
    minWidth: 150,
    tooltip: true,
    format: (r) => [r.subjectType, r.subjectName].filter(Boolean).join('：'),
  },
  { prop: 'content', label: '内容', minWidth: 220, tooltip: true },
  { prop: 'status', label: '状态', width: 80, align: 'center', slot: 'status' },
  { prop: 'durationMs', label: '耗时(ms)', width: 100, align: 'right' },
  { prop: 'ip', label: 'IP', width: 140, tooltip: true },
];
