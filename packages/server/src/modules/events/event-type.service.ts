import { CalendarDate, type EventType, type EventTypeUpdate, type FormField } from '@cityops/contracts';
import type { z } from 'zod';
import type { Cache } from '../../core/cache.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { EventTypeRepository, EventTypeRow } from './event-type.repository.js';

const CATALOGUE_KEY = 'evt:types';
const TTL_SECONDS = 3600;
/** Longest text when a field sets no maxLength, so a form cannot carry a novel. */
const DEFAULT_MAX_LENGTH = { text: 200, textarea: 2000 } as const;

const toDto = (r: EventTypeRow): EventType => ({
  code: r.code, parentCode: r.parentCode, name: r.name, level: r.level, category: r.category,
  limitValue: r.limitValue, limitUnit: r.limitUnit, warnRatio: r.warnRatio, formFields: r.formFields,
  handlingForce: r.handlingForce, supervisor: r.supervisor, closeStandard: r.closeStandard, sort: r.sort, enabled: r.enabled,
});

/** Depth-first: each type followed by its children, siblings by sort. Rows come ordered by sort. */
function treeOrder(types: EventType[], keep: (t: EventType) => boolean): EventType[] {
  const children = new Map<string | null, EventType[]>();
  const codes = new Set(types.map((t) => t.code));
  for (const t of types) {
    const parent = t.parentCode && codes.has(t.parentCode) ? t.parentCode : null;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const out: EventType[] = [];
  const walk = (parent: string | null) => {
    for (const t of children.get(parent) ?? []) {
      if (!keep(t)) continue;
      out.push(t);
      walk(t.code);
    }
  };
  walk(null);
  return out;
}

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The value of one custom field, normalised; a string is the Chinese reason it is refused. */
function checkField(f: FormField, v: unknown): { value: unknown } | string {
  switch (f.type) {
    case 'text':
    case 'textarea': {
      if (typeof v !== 'string') return `${f.label}应为文字`;
      const max = f.maxLength ?? DEFAULT_MAX_LENGTH[f.type];
      return [...v.trim()].length > max ? `${f.label}不能超过 ${max} 个字` : { value: v.trim() };
    }
    case 'number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
      return Number.isFinite(n) ? { value: n } : `${f.label}应为数字`;
    }
    case 'date':
      return typeof v === 'string' && CalendarDate.safeParse(v).success ? { value: v } : `${f.label}应为日期（YYYY-MM-DD）`;
    case 'select':
      return typeof v === 'string' && (f.options ?? []).includes(v) ? { value: v } : `${f.label}请从可选项中选择`;
    case 'boolean':
      return typeof v === 'boolean' ? { value: v } : `${f.label}应为“是”或“否”`;
  }
}

/**
 * The event catalogue (事件清单). Reads answer from the shared cache (one entry for the whole
 * catalogue: it is small and read on every event); an edit invalidates it for every node.
 */
export function eventTypeService(d: { repo: EventTypeRepository; cache: Cache }) {
  async function catalogue(): Promise<EventType[]> {
    const hit = await d.cache.get<EventType[]>(CATALOGUE_KEY);
    if (hit) return hit;
    const all = (await d.repo.all()).map(toDto);
    await d.cache.set(CATALOGUE_KEY, all, TTL_SECONDS);
    return all;
  }

  return {
    /** The catalogue in tree order; without `all`, disabled types and everything under them are left out. */
    async list(all = false): Promise<EventType[]> {
      return treeOrder(await catalogue(), (t) => all || t.enabled);
    },

    async get(code: string): Promise<EventType | undefined> {
      return (await catalogue()).find((t) => t.code === code);
    },

    /** The code and every code below it (大类 → 小类 → 子类), disabled ones included: a list's type filter. */
    async codesUnder(code: string): Promise<string[]> {
      const types = await catalogue();
      const codes = [code];
      for (let i = 0; i < codes.length; i++) for (const t of types) if (t.parentCode === codes[i]) codes.push(t.code);
      return codes;
    },

    async update(code: string, body: z.infer<typeof EventTypeUpdate>): Promise<EventType> {
      if (!(await d.repo.get(code))) throw new NotFound('事件类型不存在');
      const row = await d.repo.update(code, {
        name: body.name, category: body.category, limitValue: body.limitValue, limitUnit: body.limitUnit,
        warnRatio: body.warnRatio, enabled: body.enabled,
      });
      await d.cache.del(CATALOGUE_KEY);
      return toDto(row!);
    },

    /**
     * The type an event may be filed under: it exists, it and every type above it are enabled, and
     * it has no children (子类, or the last level the catalogue has there).
     */
    async assertSelectable(code: string): Promise<EventType> {
      const types = await catalogue();
      const byCode = new Map(types.map((t) => [t.code, t]));
      const type = byCode.get(code);
      if (!type) throw new Invalid('事件类型不存在，请重新选择');
      for (let t: EventType | undefined = type; t; t = t.parentCode ? byCode.get(t.parentCode) : undefined) {
        if (!t.enabled) throw new Invalid(`事件类型“${t.name}”已停用，请选择其他类型`);
      }
      if (types.some((t) => t.parentCode === code)) throw new Invalid(`“${type.name}”下还有细分类型，请选择到最末一级`);
      return type;
    },

    /**
     * Checks the custom form of an event against its type's fields: required, value type, options,
     * length. Returns the data with normalised values and without keys the type does not define;
     * throws Invalid with `{ fields: { key: message } }` naming every field in error. `partial`: missing
     * required fields are allowed (a report from a machine); given values are still checked.
     */
    validateForm(type: Pick<EventType, 'formFields'>, formData: Record<string, unknown>, o: { partial?: boolean } = {}): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      const fields: Record<string, string> = {};
      for (const f of type.formFields) {
        const v = formData[f.key];
        if (isEmpty(v)) {
          if (f.required && !o.partial) fields[f.key] = `请填写${f.label}`;
          continue;
        }
        const r = checkField(f, v);
        if (typeof r === 'string') fields[f.key] = r;
        else out[f.key] = r.value;
      }
      if (Object.keys(fields).length) throw new Invalid('表单填写有误', { fields });
      return out;
    },
  };
}
export type EventTypeService = ReturnType<typeof eventTypeService>;
