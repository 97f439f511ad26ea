import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { FileDownload, IsoDateTime, Ok, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS as P } from '../permissions.js';
import { ThingModel } from './thing-model.js';

/** Device categories (设备分类); the cockpit and the overview count by them. */
export const IOT_CATEGORIES = ['smoke', 'gas', 'hydrant', 'water_level', 'manhole', 'other'] as const;
export type IotCategory = (typeof IOT_CATEGORIES)[number];
export const IOT_CATEGORY_LABELS: Record<IotCategory, string> = {
  smoke: '点型光电烟火灾探测器', gas: '燃气报警器', hydrant: '消火栓按钮', water_level: '水位计', manhole: '井盖', other: '其他',
};

/** direct 直连设备; gateway 网关 (speaks for sub-devices); sub 网关子设备. */
export const NODE_TYPES = ['direct', 'gateway', 'sub'] as const;
export type NodeType = (typeof NODE_TYPES)[number];
export const NODE_TYPE_LABELS: Record<NodeType, string> = { direct: '直连设备', gateway: '网关设备', sub: '网关子设备' };

export const IOT_PROTOCOLS = ['mqtt', 'http', 'coap', 'gateway'] as const;
export type IotProtocol = (typeof IOT_PROTOCOLS)[number];
export const IOT_PROTOCOL_LABELS: Record<IotProtocol, string> = { mqtt: 'MQTT', http: 'HTTP(S)', coap: 'CoAP', gateway: '经网关接入' };

/** device_secret 一机一密; product_secret 一型一密. */
export const AUTH_MODES = ['device_secret', 'product_secret'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export const AUTH_MODE_LABELS: Record<AuthMode, string> = { device_secret: '一机一密', product_secret: '一型一密' };

export const PRODUCT_KEY_RE = /^[A-Za-z0-9_-]{4,32}$/;
/** Device keys follow the same rule (they appear in topics and MQTT user names). */
export const DEVICE_KEY_RE = PRODUCT_KEY_RE;

const keyOf = (what: string) => z.string().trim().regex(PRODUCT_KEY_RE, `${what}须为 4–32 位字母、数字、下划线或“-”`);
export const ProductKey = keyOf('产品标识');

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** What an administrator fills in for a product (the thing model has its own editor). */
const ProductFields = z.object({
  name: z.string().trim().min(1, '请填写产品名称').max(50, '产品名称不能超过 50 个字符'),
  category: z.enum(IOT_CATEGORIES, { message: '请选择设备分类' }),
  nodeType: z.enum(NODE_TYPES, { message: '请选择节点类型' }).default('direct'),
  protocol: z.enum(IOT_PROTOCOLS, { message: '请选择接入协议' }).default('mqtt'),
  authMode: z.enum(AUTH_MODES, { message: '请选择认证方式' }).default('device_secret'),
  /** 一型一密 only: unknown devices register on first connect (whitelist: these keys only; empty: any). */
  dynamicRegister: z.boolean().default(false),
  whitelist: z.array(keyOf('白名单中的设备标识')).max(10_000, '白名单最多 10000 个设备标识').default([]),
  offlineSeconds: z.number().int().min(30, '离线判定时长不能少于 30 秒').max(7 * 86_400, '离线判定时长不能超过 7 天').default(600),
  /** The event-hub type (leaf code) alarms of this product become by default. */
  eventTypeCode: z.string().trim().max(64).nullish().transform((v) => v || null),
  description: z.string().trim().max(500, '描述不能超过 500 个字符').default(''),
  enabled: z.boolean().default(true),
});

export const ProductCreateBody = ProductFields.extend({
  /** Leave out to have one generated. */
  productKey: ProductKey.optional().or(z.literal('').transform(() => undefined)),
  thingModel: ThingModel.optional(),
});
export type ProductCreateBody = z.input<typeof ProductCreateBody>;

/** The product key never changes: devices and brokers know it. */
export const ProductUpdateBody = ProductFields;
export type ProductUpdateBody = z.input<typeof ProductUpdateBody>;

export const ProductListQuery = PageQuery.extend({
  /** Name or product key contains. */
  keyword: z.string().trim().max(50).optional(),
  category: z.enum(IOT_CATEGORIES).optional(),
  nodeType: z.enum(NODE_TYPES).optional(),
  protocol: z.enum(IOT_PROTOCOLS).optional(),
  enabled: bool.optional(),
});
export type ProductListQuery = z.input<typeof ProductListQuery>;

export const ProductItem = z.object({
  id: z.string(),
  productKey: z.string(),
  name: z.string(),
  category: z.enum(IOT_CATEGORIES),
  nodeType: z.enum(NODE_TYPES),
  protocol: z.enum(IOT_PROTOCOLS),
  authMode: z.enum(AUTH_MODES),
  dynamicRegister: z.boolean(),
  modelVersion: z.number().int(),
  offlineSeconds: z.number().int(),
  eventTypeCode: z.string().nullable(),
  description: z.string(),
  enabled: z.boolean(),
  /** Devices not deregistered, and how many of them are online. */
  deviceCount: z.number().int(),
  onlineCount: z.number().int(),
  /** Number of properties / events / services of the thing model. */
  propertyCount: z.number().int(),
  eventCount: z.number().int(),
  serviceCount: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type ProductItem = z.infer<typeof ProductItem>;

export const ProductDetail = ProductItem.extend({
  whitelist: z.array(z.string()),
  thingModel: ThingModel,
});
export type ProductDetail = z.infer<typeof ProductDetail>;

/** A product for pickers (device forms, rules, OTA), readable with the device list permission. */
export const ProductOption = z.object({
  id: z.string(),
  productKey: z.string(),
  name: z.string(),
  category: z.enum(IOT_CATEGORIES),
  nodeType: z.enum(NODE_TYPES),
  protocol: z.enum(IOT_PROTOCOLS),
  enabled: z.boolean(),
});
export type ProductOption = z.infer<typeof ProductOption>;

export const ThingModelDoc = z.object({ modelVersion: z.number().int(), thingModel: ThingModel });
export type ThingModelDoc = z.infer<typeof ThingModelDoc>;

/** The JSON file of 导出物模型 / 导入物模型. */
export const PRODUCT_EXPORT_FORMAT = 'cityops-iot-product';
export const ProductExport = z.object({
  format: z.literal(PRODUCT_EXPORT_FORMAT, { message: '文件不是本平台导出的产品物模型' }),
  version: z.literal(1, { message: '不支持的文件版本' }),
  exportedAt: IsoDateTime.optional(),
  /** Absent in a file that only carries a thing model. */
  product: z
    .object({
      productKey: z.string().optional(),
      name: z.string(),
      category: z.string(),
      nodeType: z.string().optional(),
      protocol: z.string().optional(),
      authMode: z.string().optional(),
      dynamicRegister: z.boolean().optional(),
      offlineSeconds: z.number().optional(),
      eventTypeCode: z.string().nullish(),
      description: z.string().optional(),
    })
    .optional(),
  thingModel: ThingModel,
});
export type ProductExport = z.infer<typeof ProductExport>;

export const ProductImportBody = z.object({
  content: ProductExport,
  /** Replace this product's thing model; without it, a new product is created from the file. */
  productId: z.uuid('产品编号格式不正确').optional(),
  /** For a new product: another key than the file's (e.g. when that one is taken). */
  productKey: ProductKey.optional(),
  name: z.string().trim().min(1).max(50).optional(),
});
export type ProductImportBody = z.input<typeof ProductImportBody>;

/** A secret in clear text, shown to holders of iot:device:secret only. */
export const SecretReveal = z.object({ secret: z.string() });
export type SecretReveal = z.infer<typeof SecretReveal>;

export const ProductIdParams = z.object({ id: z.uuid('产品编号格式不正确') });

const tags = ['iot'];
const list = { access: 'authorized' as const, permission: P.iotProductList, tags };
const edit = { access: 'authorized' as const, permission: P.iotProductEdit, tags };
const secret = { access: 'authorized' as const, permission: P.iotDeviceSecret, tags };

/** IoT: 产品 and thing models (helper A). */
export const productEndpoints = {
  iotProducts: defineEndpoint({
    ...list, method: 'GET', path: '/api/iot/products', summary: '产品列表（名称或产品标识、分类、节点类型、协议）',
    query: ProductListQuery, response: pageOf(ProductItem),
  }),
  iotProductOptions: defineEndpoint({
    method: 'GET', path: '/api/iot/products/options', summary: '产品选项（设备、规则、OTA 等表单的选择框）', tags,
    access: 'authorized', permission: P.iotDeviceList, response: z.array(ProductOption),
  }),
  iotProduct: defineEndpoint({
    ...list, method: 'GET', path: '/api/iot/products/:id', summary: '产品详情（含物模型）',
    params: ProductIdParams, response: ProductDetail,
  }),
  iotCreateProduct: defineEndpoint({
    ...edit, method: 'POST', path: '/api/iot/products', summary: '新增产品（未给出产品标识时生成；产品密钥自动生成）',
    body: ProductCreateBody, response: ProductDetail,
  }),
  iotUpdateProduct: defineEndpoint({
    ...edit, method: 'PUT', path: '/api/iot/products/:id', summary: '编辑产品（产品标识不可改）',
    params: ProductIdParams, body: ProductUpdateBody, response: ProductDetail,
  }),
  iotDeleteProduct: defineEndpoint({
    ...edit, method: 'DELETE', path: '/api/iot/products/:id', summary: '删除产品（仍有设备时拒绝）',
    params: ProductIdParams, response: Ok,
  }),
  iotThingModel: defineEndpoint({
    ...list, method: 'GET', path: '/api/iot/products/:id/thing-model', summary: '产品物模型',
    params: ProductIdParams, response: ThingModelDoc,
  }),
  iotSaveThingModel: defineEndpoint({
    ...edit, method: 'PUT', path: '/api/iot/products/:id/thing-model', summary: '保存物模型（整体替换，版本号加一）',
    params: ProductIdParams, body: ThingModel, response: ThingModelDoc,
  }),
  iotExportProduct: defineEndpoint({
    ...list, method: 'GET', path: '/api/iot/products/:id/export', summary: '导出产品与物模型（JSON 文件）',
    file: true, params: ProductIdParams, response: FileDownload,
  }),
  iotImportProduct: defineEndpoint({
    ...edit, method: 'POST', path: '/api/iot/products/import', summary: '导入产品物模型（新建产品，或替换指定产品的物模型）',
    body: ProductImportBody, response: ProductDetail,
  }),
  iotRevealProductSecret: defineEndpoint({
    ...secret, method: 'POST', path: '/api/iot/products/:id/secret/reveal', summary: '查看产品密钥（一型一密）',
    params: ProductIdParams, response: SecretReveal,
  }),
  iotResetProductSecret: defineEndpoint({
    ...secret, method: 'POST', path: '/api/iot/products/:id/secret/reset', summary: '重置产品密钥（一型一密的设备须改用新密钥）',
    params: ProductIdParams, response: SecretReveal,
  }),
};
