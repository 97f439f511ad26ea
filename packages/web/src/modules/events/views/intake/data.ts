import { h } from 'vue';
import type { Router } from 'vue-router';
import { ElButton, ElNotification } from 'element-plus';
import type { EventDetail, EventRef, FileInfo, FormField } from '@cityops/contracts';
import { isApiError } from '@/api/client';

/** What the form of 事件发起 holds. */
export interface IntakeForm {
  typeCode: string;
  title: string;
  content: string;
  source: string;
  occurredAt: Date | null;
  regionCode: string;
  address: string;
  lat: number | null;
  lng: number | null;
  formData: Record<string, unknown>;
  fileIds: string[];
}

export const DEFAULT_SOURCE = 'platform';

export const emptyIntakeForm = (): IntakeForm => ({
  typeCode: '', title: '', content: '', source: DEFAULT_SOURCE, occurredAt: new Date(), regionCode: '', address: '',
  lat: null, lng: null, formData: {}, fileIds: [],
});

/** The form filled from a draft (its attachments are returned apart, for the upload list to name them). */
export function formFromDraft(d: EventDetail): { form: IntakeForm; files: FileInfo[] } {
  const e = d.event;
  const files = [...d.attachments.before, ...d.attachments.during, ...d.attachments.after];
  return {
    form: {
      typeCode: e.typeCode, title: e.title, content: e.content, source: e.source,
      occurredAt: e.occurredAt ? new Date(e.occurredAt) : null, regionCode: e.regionCode ?? '', address: e.address ?? '',
      lat: e.lat, lng: e.lng, formData: { ...e.formData }, fileIds: files.map((f) => f.id),
    },
    files,
  };
}

/** The request body of 发起 / 保存草稿: the custom fields of the chosen type only, empty values left out. */
export function bodyOf(f: IntakeForm, fields: readonly FormField[]) {
  const formData: Record<string, unknown> = {};
  for (const field of fields) {
    const v = f.formData[field.key];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) continue;
    formData[field.key] = v;
  }
  const hasPoint = f.lat !== null && f.lng !== null;
  return {
    typeCode: f.typeCode,
    title: f.title.trim(),
    content: f.content.trim(),
    source: f.source,
    occurredAt: f.occurredAt ? f.occurredAt.toISOString() : undefined,
    regionCode: f.regionCode || undefined,
    address: f.address.trim() || undefined,
    lat: hasPoint ? f.lat! : undefined,
    lng: hasPoint ? f.lng! : undefined,
    formData,
    fileIds: f.fileIds,
  };
}

/** Standard fields of the form, by the name the server uses for them. */
const STANDARD_FIELDS: Record<string, string> = {
  typeCode: 'typeCode', title: 'title', content: 'content', source: 'source', occurredAt: 'occurredAt',
  regionCode: 'regionCode', address: 'address', lat: 'lat', lng: 'lng', fileIds: 'fileIds',
};

/**
 * The server's reasons per form item (`prop` of el-form-item): schema issues come as a list with
 * paths, the service's checks as `{ fields: { key: message } }` where a custom field is its key.
 */
export function serverFieldErrors(e: unknown): Record<string, string> {
  if (!isApiError(e)) return {};
  const out: Record<string, string> = {};
  const put = (key: string, message: string) => {
    const [head, sub] = key.split('.');
    if (head === 'formData' && sub) out[`formData.${sub}`] = message;
    else out[STANDARD_FIELDS[head ?? ''] ?? `formData.${head}`] = message;
  };
  for (const i of e.fieldIssues) if (i.path) put(i.path.replace(/^body\./, ''), i.message);
  const fields = (e.details as { fields?: Record<string, unknown> } | undefined)?.fields;
  if (fields && typeof fields === 'object') for (const [k, v] of Object.entries(fields)) if (typeof v === 'string') put(k, v);
  return out;
}

/** Tells that an event was started, with its number and a link to it (stays a while: the number is wanted). */
export function notifyStarted(ref: EventRef, router: Router, title: string) {
  ElNotification({
    type: 'success',
    title: '事件已发起',
    duration: 8000,
    customClass: 'intake-started',
    message: h('div', { 'data-test': 'intake-started' }, [
      h('div', `“${title}”已进入待办流转`),
      h('div', ['事件编号：', h('b', { class: 'co-mono', 'data-test': 'intake-started-no' }, ref.no ?? '')]),
      h(ElButton, { link: true, type: 'primary', onClick: () => void router.push(`/events/${ref.id}`) }, () => '查看事件详情'),
    ]),
  });
}
