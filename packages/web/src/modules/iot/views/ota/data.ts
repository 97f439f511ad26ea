import type { FormItemRule } from 'element-plus';
import {
  FIRMWARE_VERSION_RE,
  OTA_DEVICE_STATUSES,
  OTA_DEVICE_STATUS_LABELS,
  OTA_TARGETS,
  OTA_TARGET_LABELS,
  OTA_TASK_STATUSES,
  OTA_TASK_STATUS_LABELS,
  type IotFirmwareCreateInput,
  type IotOtaTask,
  type IotOtaTaskCreateInput,
  type OtaDeviceStatus,
} from '@cityops/contracts';

type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary';

export const TASK_STATUS_OPTIONS = OTA_TASK_STATUSES.map((s) => ({ value: s, label: OTA_TASK_STATUS_LABELS[s] }));
export const DEVICE_STATUS_OPTIONS = OTA_DEVICE_STATUSES.map((s) => ({ value: s, label: OTA_DEVICE_STATUS_LABELS[s] }));
export const TARGET_OPTIONS = OTA_TARGETS.map((t) => ({ value: t, label: OTA_TARGET_LABELS[t] }));

export const TASK_STATUS_TAGS: Record<IotOtaTask['status'], TagType> = { running: 'primary', finished: 'success', cancelled: 'info' };
export const DEVICE_STATUS_TAGS: Record<OtaDeviceStatus, TagType> = {
  pending: 'info', pushed: 'primary', upgrading: 'warning', succeeded: 'success', failed: 'danger', cancelled: 'info',
};

/** Share of the task's devices that are done (succeeded, failed or cancelled), 0..100. */
export function taskPercent(t: IotOtaTask): number {
  const c = t.counts;
  return c.total ? Math.round(((c.succeeded + c.failed + c.cancelled) / c.total) * 100) : 100;
}

/** The firmware file extensions as the file picker's accept list. */
export const firmwareAccept = (exts: readonly string[]) => exts.map((e) => `.${e}`).join(',');

const versionRule: FormItemRule = {
  validator: (_r, v: string, cb) => (!v || FIRMWARE_VERSION_RE.test(v.trim()) ? cb() : cb(new Error('版本号只能含字母、数字、点、横线和下划线，最长 32 位'))),
  trigger: 'blur',
};

// ----- 固件 -----

export type FirmwareForm = Required<Omit<IotFirmwareCreateInput, 'fileId'>> & { fileIds: string[] };
export const createFirmwareForm = (): FirmwareForm => ({ productId: '', name: '', version: '', description: '', fileIds: [] });

export const firmwareRules: Partial<Record<keyof FirmwareForm, FormItemRule[]>> = {
  productId: [{ required: true, message: '请选择产品', trigger: 'change' }],
  name: [{ required: true, whitespace: true, message: '请填写固件名称', trigger: 'blur' }, { max: 50, message: '固件名称不能超过 50 个字', trigger: 'blur' }],
  version: [{ required: true, whitespace: true, message: '请填写版本号', trigger: 'blur' }, versionRule],
  fileIds: [{ type: 'array', required: true, min: 1, message: '请上传固件文件', trigger: 'change' }],
};

// ----- 升级任务 -----

export interface TaskForm {
  firmwareId: string;
  name: string;
  target: IotOtaTaskCreateInput['target'];
  deviceIds: string[];
  belowVersion: string;
}

export const createTaskForm = (): TaskForm => ({ firmwareId: '', name: '', target: 'all', deviceIds: [], belowVersion: '' });

export const taskBodyOf = (f: TaskForm): IotOtaTaskCreateInput => ({
  firmwareId: f.firmwareId,
  name: f.name.trim(),
  target: f.target,
  deviceIds: f.target === 'devices' ? f.deviceIds : [],
  belowVersion: f.target === 'below' && f.belowVersion.trim() ? f.belowVersion.trim() : undefined,
});

export const taskRules: Partial<Record<keyof TaskForm, FormItemRule[]>> = {
  firmwareId: [{ required: true, message: '请选择固件', trigger: 'change' }],
  name: [{ required: true, whitespace: true, message: '请填写任务名称', trigger: 'blur' }, { max: 50, message: '任务名称不能超过 50 个字', trigger: 'blur' }],
  target: [{ required: true, message: '请选择升级范围', trigger: 'change' }],
  belowVersion: [versionRule],
};
