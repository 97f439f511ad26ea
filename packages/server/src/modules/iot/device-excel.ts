import ExcelJS from 'exceljs';
import {
  DEVICE_IMPORT_MAX_ROWS, DEVICE_STATUS_LABELS, DeviceCreateBody, IOT_CATEGORY_LABELS, type DeviceImportResult, type DeviceItem,
} from '@cityops/contracts';
import { runBatch } from '../../core/batch.js';
import { Invalid } from '../../core/errors.js';
import { toXlsx, type ExcelColumn } from '../../core/excel.js';
import type { DeviceScope } from './device.repository.js';
import type { DeviceService } from './device.service.js';
import type { LocalDirectory } from './device-directory.js';

/** The import sheet's columns: header → field (a trailing * marks the required ones). */
const IMPORT_COLUMNS = [
  ['产品标识*', 'productKey', 18],
  ['设备名称*', 'name', 24],
  ['设备标识', 'deviceKey', 18],
  ['责任单位编码', 'orgCode', 18],
  ['区域编码', 'regionCode', 16],
  ['经度', 'lng', 12],
  ['纬度', 'lat', 12],
  ['安装地址', 'address', 30],
  ['准入白名单', 'allowedAddresses', 24],
  ['测试设备', 'testMode', 10],
  ['网关设备', 'gateway', 24],
  ['描述', 'description', 30],
] as const;
type ImportField = (typeof IMPORT_COLUMNS)[number][1];

const TEMPLATE_NOTES: [string, string][] = [
  ['产品标识', '必填。设备所属产品的产品标识（产品管理中查看）'],
  ['设备名称', '必填，最长 50 字'],
  ['设备标识', '选填。4–32 位字母、数字、下划线或“-”，同一产品内唯一；不填则自动生成'],
  ['责任单位编码', '组织机构编码，如 510184001-CYZX；设备告警生成的待办交给该单位。非全市范围的用户必填，且须在本人管理范围内'],
  ['区域编码', '行政区划编码，如 510184001（崇阳街道）'],
  ['经度、纬度', '十进制度数（如 103.67、30.63），须同时填写'],
  ['准入白名单', 'IP 地址或网段，多个用逗号分隔；不填表示不限'],
  ['测试设备', '填“是”表示测试设备：数据照常存储，但不触发规则告警'],
  ['网关设备', '网关子设备填所属网关，格式：产品标识/设备标识'],
  ['设备密钥', '导入时自动生成，有“查看设备密钥”权限的人员可在设备详情中查看'],
  ['行数', `一次最多导入 ${DEVICE_IMPORT_MAX_ROWS} 行；第 1 行为表头，请勿修改`],
];

/** The empty import sheet with its notes. */
export const deviceImportTemplate = () =>
  toXlsx<never>('设备导入', IMPORT_COLUMNS.map(([header, , width]) => ({ header, width, value: () => '' })), [], { notes: TEMPLATE_NOTES, notesSheet: '填写说明' });

const headerKey = (s: string) => s.replace(/[*＊\s]/g, '');

/** Reads the sheet: one record per non-empty row, keyed by field, with its row number. */
export async function readDeviceSheet(content: Buffer) {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new Invalid('无法读取文件：请上传 Excel（.xlsx）文件');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new Invalid('文件中没有工作表');
  const byHeader = new Map<string, ImportField>(IMPORT_COLUMNS.map(([h, f]) => [headerKey(h), f]));
  const fields = new Map<number, ImportField>();
  ws.getRow(1).eachCell((cell, col) => {
    const f = byHeader.get(headerKey(cell.text));
    if (f) fields.set(col, f);
  });
  for (const required of ['productKey', 'name'] as const) {
    if (![...fields.values()].includes(required)) throw new Invalid('表头与导入模板不一致，请下载模板后填写');
  }
  const rows: { row: number; values: Partial<Record<ImportField, string>> }[] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const values: Partial<Record<ImportField, string>> = {};
    r.eachCell((cell, col) => {
      const f = fields.get(col);
      const text = cell.text?.trim();
      if (f && text) values[f] = text;
    });
    if (Object.keys(values).length) rows.push({ row: n, values });
  });
  if (!rows.length) throw new Invalid('文件中没有数据行');
  if (rows.length > DEVICE_IMPORT_MAX_ROWS) throw new Invalid(`一次最多导入 ${DEVICE_IMPORT_MAX_ROWS} 行，文件中有 ${rows.length} 行`);
  return rows;
}

const number = (s: string | undefined, label: string) => {
  if (s === undefined) return null;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new Invalid(`${label}应为数字`);
  return n;
};

/**
 * 设备导入: each row on its own (runBatch), through the same checks as the form; a bad row is
 * reported with its number and reason and the others are registered.
 */
export async function importDevices(d: { devices: DeviceService; directory: LocalDirectory; orgIdsByCode: (codes: string[]) => Promise<Map<string, string>> }, scope: DeviceScope, content: Buffer): Promise<DeviceImportResult> {
  const rows = await readDeviceSheet(content);
  const orgIds = await d.orgIdsByCode([...new Set(rows.map((r) => r.values.orgCode).filter((c): c is string => !!c))]);
  const byRow = new Map(rows.map((r) => [String(r.row), r.values]));
  const names: Record<string, string> = {};
  for (const r of rows) names[String(r.row)] = `第 ${r.row} 行 ${r.values.name ?? ''}`.trim();
  const result = await runBatch([...byRow.keys()], async (key) => {
    const v = byRow.get(key)!;
    const product = v.productKey ? await d.directory.product(v.productKey) : undefined;
    if (!product) throw new Invalid(v.productKey ? `产品标识 ${v.productKey} 不存在` : '请填写产品标识');
    let orgId: string | null = null;
    if (v.orgCode) {
      orgId = orgIds.get(v.orgCode) ?? null;
      if (!orgId) throw new Invalid(`责任单位编码 ${v.orgCode} 不存在`);
    }
    let gatewayId: string | null = null;
    if (v.gateway) {
      const [pk, dk] = v.gateway.split('/').map((s) => s.trim());
      const g = pk && dk ? await d.directory.device(pk, dk) : undefined;
      if (!g) throw new Invalid(`网关设备 ${v.gateway} 不存在（格式：产品标识/设备标识）`);
      gatewayId = g.id;
    }
    const parsed = DeviceCreateBody.safeParse({
      productId: product.id,
      deviceKey: v.deviceKey,
      name: v.name ?? '',
      orgId,
      regionCode: v.regionCode,
      lng: number(v.lng, '经度'),
      lat: number(v.lat, '纬度'),
      address: v.address,
      allowedAddresses: v.allowedAddresses ? v.allowedAddresses.split(/[,，;；\s]+/).filter(Boolean) : [],
      testMode: v.testMode === '是' || v.testMode?.toLowerCase() === 'true' || v.testMode === '1',
      gatewayId,
      description: v.description ?? '',
    });
    if (!parsed.success) throw new Invalid(parsed.error.issues[0]!.message);
    await d.devices.createQuietly(scope, parsed.data);
  });
  if (result.succeeded) await d.devices.invalidateAll();
  return { ...result, names };
}

const time = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '');

/** The columns of 导出设备. */
export const DEVICE_EXPORT_COLUMNS: ExcelColumn<DeviceItem>[] = [
  { header: '设备名称', width: 24, value: (r) => r.name },
  { header: '设备标识', width: 18, value: (r) => r.deviceKey },
  { header: '所属产品', width: 22, value: (r) => r.productName },
  { header: '产品标识', width: 16, value: (r) => r.productKey },
  { header: '设备分类', width: 20, value: (r) => IOT_CATEGORY_LABELS[r.category] },
  { header: '状态', width: 10, value: (r) => (r.deregisteredAt ? '已注销' : DEVICE_STATUS_LABELS[r.status]) },
  { header: '测试设备', width: 10, value: (r) => (r.testMode ? '是' : '否') },
  { header: '区域', width: 16, value: (r) => r.regionName ?? r.regionCode },
  { header: '责任单位', width: 24, value: (r) => r.orgName },
  { header: '经度', width: 12, value: (r) => r.lng },
  { header: '纬度', width: 12, value: (r) => r.lat },
  { header: '安装地址', width: 30, value: (r) => r.address },
  { header: '网关设备', width: 20, value: (r) => r.gatewayName },
  { header: '固件版本', width: 12, value: (r) => r.firmwareVersion },
  { header: '最后上报时间', width: 20, value: (r) => time(r.lastSeenAt) },
  { header: '激活时间', width: 20, value: (r) => time(r.activatedAt) },
  { header: '注册时间', width: 20, value: (r) => time(r.createdAt) },
];
