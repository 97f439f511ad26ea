import type { FormItemRule } from 'element-plus';
import {
  API_KEY_DEFAULT_RATE_LIMIT,
  API_KEY_SCOPES,
  API_KEY_SCOPE_LABELS,
  type ApiKey,
  type ApiKeyBody,
  type ApiKeyScope,
  type BatchResult,
} from '@cityops/contracts';
import { api } from '@/api/client';
import type { RowAction } from '@/components/crud/row-action';

export const SCOPE_OPTIONS = API_KEY_SCOPES.map((s) => ({ value: s, label: API_KEY_SCOPE_LABELS[s] }));

/** The 第三方接口 search bar. */
export interface ApiKeySearch {
  keyword: string;
  enabled: '' | 'true' | 'false';
}

export const createSearch = (): ApiKeySearch => ({ keyword: '', enabled: '' });

export function fetchApiKeys(s: ApiKeySearch, page: number, pageSize: number) {
  return api.apiKeys({ query: { page, pageSize, keyword: s.keyword.trim() || undefined, enabled: s.enabled || undefined } });
}

/** A key past its expiry is refused even when enabled. */
export const isExpired = (k: Pick<ApiKey, 'expiresAt'>, now = Date.now()) => !!k.expiresAt && Date.parse(k.expiresAt) <= now;

export interface ApiKeyForm {
  name: string;
  scopes: ApiKeyScope[];
  rateLimit: number;
  /** null: never expires. */
  expiresAt: Date | null;
}

export const createForm = (): ApiKeyForm => ({ name: '', scopes: ['devices:read', 'telemetry:read'], rateLimit: API_KEY_DEFAULT_RATE_LIMIT, expiresAt: null });

export const formOf = (k: ApiKey): ApiKeyForm => ({
  name: k.name,
  scopes: [...k.scopes],
  rateLimit: k.rateLimit,
  expiresAt: k.expiresAt ? new Date(k.expiresAt) : null,
});

export const bodyOf = (f: ApiKeyForm): ApiKeyBody => ({
  name: f.name.trim(),
  scopes: f.scopes,
  rateLimit: f.rateLimit,
  expiresAt: f.expiresAt ? f.expiresAt.toISOString() : null,
});

export const rules: Partial<Record<keyof ApiKeyForm, FormItemRule[]>> = {
  name: [{ required: true, whitespace: true, message: '请输入名称', trigger: 'blur' }, { max: 50, message: '名称不能超过 50 个字', trigger: 'blur' }],
  scopes: [{ type: 'array', required: true, min: 1, message: '请至少选择一项权限范围', trigger: 'change' }],
  rateLimit: [{ required: true, type: 'number', message: '请输入每分钟请求上限', trigger: 'blur' }],
};

export function runBatch(action: RowAction, ids: string[]): Promise<BatchResult> {
  const body = { ids };
  if (action === 'enable') return api.apiKeyEnable({ body });
  if (action === 'disable') return api.apiKeyDisable({ body });
  return api.apiKeyDelete({ body });
}

export const BATCH_CONFIRM: Record<RowAction, (who: string) => string> = {
  enable: (who) => `确定启用${who}吗？启用后第三方系统可用该密钥调用接口。`,
  disable: (who) => `确定停用${who}吗？停用后使用该密钥的请求将立即被拒绝（401）。`,
  delete: (who) => `确定删除${who}吗？删除后使用该密钥的第三方系统将无法再调用接口，且不可恢复。`,
};
