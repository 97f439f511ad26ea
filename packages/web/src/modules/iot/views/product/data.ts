import type { FormItemRule } from 'element-plus';
import { PRODUCT_KEY_RE, type AuthMode, type IotCategory, type IotProtocol, type NodeType, type ProductDetail, type ProductUpdateBody } from '@cityops/contracts';
import { api } from '@/api/client';

/** The 产品管理 search form. */
export interface ProductSearch {
  keyword: string;
  category: IotCategory | '';
  protocol: IotProtocol | '';
}

export const createSearch = (): ProductSearch => ({ keyword: '', category: '', protocol: '' });

export function fetchProducts(s: ProductSearch, page: number, pageSize: number) {
  return api.iotProducts({ query: { page, pageSize, keyword: s.keyword.trim() || undefined, category: s.category || undefined, protocol: s.protocol || undefined } });
}

/** The add/edit form (the thing model has its own editor on the detail page). */
export interface ProductForm {
  name: string;
  productKey: string;
  category: IotCategory | '';
  nodeType: NodeType;
  protocol: IotProtocol;
  authMode: AuthMode;
  dynamicRegister: boolean;
  /** One device key per line. */
  whitelist: string;
  offlineSeconds: number;
  eventTypeCode: string;
  description: string;
  enabled: boolean;
}

export const createForm = (): ProductForm => ({
  name: '',
  productKey: '',
  category: '',
  nodeType: 'direct',
  protocol: 'mqtt',
  authMode: 'device_secret',
  dynamicRegister: false,
  whitelist: '',
  offlineSeconds: 600,
  eventTypeCode: '',
  description: '',
  enabled: true,
});

export const formOf = (p: ProductDetail): ProductForm => ({
  name: p.name,
  productKey: p.productKey,
  category: p.category,
  nodeType: p.nodeType,
  protocol: p.protocol,
  authMode: p.authMode,
  dynamicRegister: p.dynamicRegister,
  whitelist: p.whitelist.join('\n'),
  offlineSeconds: p.offlineSeconds,
  eventTypeCode: p.eventTypeCode ?? '',
  description: p.description,
  enabled: p.enabled,
});

export const whitelistOf = (text: string) => [...new Set(text.split(/[\s,，;；]+/).map((s) => s.trim()).filter(Boolean))];

export function bodyOf(f: ProductForm): ProductUpdateBody {
  const productSecret = f.authMode === 'product_secret';
  return {
    name: f.name.trim(),
    category: f.category as IotCategory,
    nodeType: f.nodeType,
    protocol: f.nodeType === 'sub' ? 'gateway' : f.protocol,
    authMode: f.authMode,
    dynamicRegister: productSecret && f.dynamicRegister,
    whitelist: productSecret && f.dynamicRegister ? whitelistOf(f.whitelist) : [],
    offlineSeconds: f.offlineSeconds,
    eventTypeCode: f.eventTypeCode || null,
    description: f.description.trim(),
    enabled: f.enabled,
  };
}

type Validator = (rule: unknown, value: string, callback: (error?: Error) => void) => void;
const check = (problem: (value: string) => string | undefined): Validator => (_r, value, cb) => {
  const p = problem(value ?? '');
  cb(p ? new Error(p) : undefined);
};

/** Rules mirroring the server's (packages/contracts/src/iot/product.ts). */
export const formRules: Record<string, FormItemRule[]> = {
  name: [
    { required: true, whitespace: true, message: '请填写产品名称', trigger: 'blur' },
    { max: 50, message: '产品名称不能超过 50 个字符', trigger: 'blur' },
  ],
  productKey: [{ validator: check((v) => (!v.trim() || PRODUCT_KEY_RE.test(v.trim()) ? undefined : '产品标识须为 4–32 位字母、数字、下划线或“-”')), trigger: 'blur' }],
  category: [{ required: true, message: '请选择设备分类', trigger: 'change' }],
  whitelist: [
    {
      validator: check((v) => {
        const bad = whitelistOf(v).find((k) => !PRODUCT_KEY_RE.test(k));
        return bad ? `「${bad}」不是有效的设备标识（4–32 位字母、数字、下划线或“-”）` : undefined;
      }),
      trigger: 'blur',
    },
  ],
};

/** Suggested offline delays (seconds), for a select the user can also type into. */
export const OFFLINE_PRESETS = [
  { value: 120, label: '2 分钟' },
  { value: 300, label: '5 分钟' },
  { value: 600, label: '10 分钟' },
  { value: 1800, label: '30 分钟' },
  { value: 3600, label: '1 小时' },
  { value: 21_600, label: '6 小时' },
  { value: 86_400, label: '1 天' },
];
