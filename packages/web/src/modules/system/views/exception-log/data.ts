import type { ExceptionLog } from '@cityops/contracts';
import type { SearchField, TableColumn } from '@/components/crud/types';
import type { ExceptionSearch } from '../../api';
import { formatDateTime } from '@/utils/format';

export const createSearch = (): ExceptionSearch => ({ id: '', range: null });

export const searchFields: SearchField[] = [
  { prop: 'id', label: '异常ID', type: 'input', placeholder: '请输入异常ID', width: 260, maxlength: 64 },
  { prop: 'range', label: '发生时间', type: 'datetimerange' },
];

export const columns: TableColumn<ExceptionLog>[] = [
  { prop: 'at', label: '时间', width: 170, format: (r) => formatDateTime(r.at) },
  { prop: 'id', label: '异常ID', width: 220, slot: 'mono' },
  { prop: 'type', label: '类型', width: 160, tooltip: true },
  { prop: 'url', label: '请求', minWidth: 260, slot: 'request' },
  { prop: 'message', label: '消息', minWidth: 280, tooltip: true },
  { prop: 'requestId', label: '请求ID', width: 220, slot: 'mono' },
  { prop: 'username', label: '操作人', width: 120, tooltip: true },
];
