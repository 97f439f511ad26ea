import type { SysParam, SysParamCreateBody, SysParamUpdateBody } from '@cityops/contracts';
import type { Cache } from '../../core/cache.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { ParamRepository, ParamRow } from './param.repository.js';
import { builtinParam, type ParamDefinition } from './seed/params.js';

const key = (code: string) => `param:${code}`;
const TTL_SECONDS = 3600;

const toParam = (r: ParamRow): SysParam => {
  const def = builtinParam(r.code);
  return {
    code: r.code, name: r.name, value: r.value, defaultValue: r.defaultValue, description: r.description,
    builtin: !!def, valueType: def?.valueType ?? 'text', min: def?.min ?? null, max: def?.max ?? null, unit: def?.unit ?? null,
    updatedAt: r.updatedAt.toISOString(),
  };
};

/** Checks a value against a built-in parameter's definition; returns it normalised. */
function checkValue(def: ParamDefinition | undefined, value: string): string {
  if (!def) return value;
  if (!value) throw new Invalid(`请输入${def.name}`);
  if (def.valueType === 'integer') {
    if (!/^-?\d+$/.test(value)) throw new Invalid(`${def.name}必须是整数`);
    const n = Number(value);
    if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) {
      throw new Invalid(`${def.name}须在 ${def.min ?? '-∞'} 至 ${def.max ?? '∞'}${def.unit ? ` ${def.unit}` : ''} 之间`);
    }
    return String(n);
  }
  if (def.maxLength && [...value].length > def.maxLength) throw new Invalid(`${def.name}不能超过 ${def.maxLength} 个字符`);
  return value;
}

/**
 * System parameters. Other modules read them with `get(code)` / `getInt(code)`, which answer from
 * the cache; every change here invalidates the parameter's entry.
 */
export function paramService(repo: ParamRepository, cache: Cache) {
  const invalidate = (code: string) => cache.del(key(code));

  async function existing(code: string) {
    const row = await repo.get(code);
    if (!row) throw new NotFound('系统参数不存在');
    return row;
  }

  return {
    /** The current value; undefined when no such parameter exists. */
    async get(code: string): Promise<string | undefined> {
      const hit = await cache.get<{ v: string | null }>(key(code));
      if (hit) return hit.v ?? undefined;
      const row = await repo.get(code);
      await cache.set(key(code), { v: row?.value ?? null }, TTL_SECONDS);
      return row?.value;
    },

    /** An integer parameter; its built-in default (or `fallback`) when absent or not a number. */
    async getInt(code: string, fallback?: number): Promise<number | undefined> {
      const v = await this.get(code);
      const n = v !== undefined && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
      if (Number.isFinite(n)) return n;
      const def = builtinParam(code)?.defaultValue;
      return def !== undefined ? Number(def) : fallback;
    },

    invalidate,

    async list(q: { keyword?: string; page: number; pageSize: number }) {
      const { items, total } = await repo.page(q);
      return { items: items.map(toParam), total, page: q.page, pageSize: q.pageSize };
    },

    async create(body: SysParamCreateBody) {
      const code = body.code.trim();
      if (builtinParam(code)) throw new Conflict(`参数编码“${code}”为系统内置参数，不能重复新增`);
      const value = body.value ?? '';
      const inserted = await repo.insert({
        code, name: body.name, value, defaultValue: body.defaultValue ?? value, description: body.description || null,
      });
      if (!inserted) throw new Conflict(`参数编码“${code}”已存在`);
      await invalidate(code);
      return toParam(await existing(code));
    },

    async update(code: string, body: SysParamUpdateBody) {
      const row = await existing(code);
      const def = builtinParam(code);
      const value = checkValue(def, body.value ?? '');
      if (def) {
        const changes = (body.name !== undefined && body.name !== row.name) ||
          (body.defaultValue !== undefined && body.defaultValue !== row.defaultValue) ||
          (body.description !== undefined && (body.description || null) !== row.description);
        if (changes) throw new Invalid('内置参数只能修改参数值');
      }
      const updated = await repo.update(code, def ? { value } : {
        value,
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.defaultValue !== undefined ? { defaultValue: body.defaultValue } : {}),
        ...(body.description !== undefined ? { description: body.description || null } : {}),
      });
      await invalidate(code);
      return toParam(updated!);
    },

    async reset(code: string) {
      const row = await existing(code);
      const updated = await repo.update(code, { value: row.defaultValue });
      await invalidate(code);
      return toParam(updated!);
    },

    async remove(code: string) {
      const row = await existing(code);
      if (builtinParam(code)) throw new Invalid(`“${row.name}”为系统内置参数，不能删除`);
      await repo.delete(code);
      await invalidate(code);
    },

    /** 'name（code）' for the operation log. */
    async describe(code: string) {
      const row = await repo.get(code);
      return row ? `${row.name}（${code}）` : code;
    },
  };
}
export type ParamService = ReturnType<typeof paramService>;
