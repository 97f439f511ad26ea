import { DICT_VALUE_PATTERN, type DictItem, type DictItemBody, type DictType, type DictTypeBody } from '@cityops/contracts';
import { runBatch } from '../../core/batch.js';
import type { Db } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { dictRepository, type DictItemRow, type DictTypeRow } from './dict.repository.js';
import type { DictService } from './dict.service.js';
import { BUILTIN_DICTS } from './seed/dicts.js';
import { isUuid } from '../../core/ids.js';
import { isUniqueViolation } from '../../core/db-errors.js';
import { listNames } from '../../core/text.js';


/** A seeded label of a platform dictionary: the code relies on its key, so it stays. */
const isBuiltinItem = (type: DictTypeRow | undefined, value: string) =>
  !!type?.builtin && !!BUILTIN_DICTS.find((d) => d.code === type.code)?.items.some((i) => i.value === value);

const toType = (r: DictTypeRow, itemCount: number): DictType => ({
  id: r.id, code: r.code, name: r.name, enabled: r.enabled, sort: r.sort, builtin: r.builtin, itemCount,
  updatedAt: r.updatedAt.toISOString(),
});

const toItem = (r: DictItemRow, builtin: boolean): DictItem => ({
  id: r.id, typeCode: r.typeCode, label: r.label, value: r.value,
  tagType: (r.tagType as DictItem['tagType']) ?? null, enabled: r.enabled, sort: r.sort, builtin,
  updatedAt: r.updatedAt.toISOString(),
});



/**
 * 字典管理: types and their labels. Every change to a type or a label invalidates that type's cached
 * options (`dicts.invalidate`), so `GET /api/dicts/:type` shows it at once.
 */
export function dictAdminService(db: Db, dicts: DictService) {
  const repo = dictRepository(db);

  async function typeOf(id: string) {
    const row = isUuid(id) ? await repo.typeById(id) : undefined;
    if (!row) throw new NotFound('字典类型不存在');
    return row;
  }

  async function itemOf(id: string) {
    const row = isUuid(id) ? await repo.itemById(id) : undefined;
    if (!row) throw new NotFound('字典标签不存在');
    return row;
  }

  /** Runs a write that a unique constraint may refuse under a race, as a 409 with `message`. */
  async function unique<T>(message: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict(message);
      throw err;
    }
  }

  function checkNewValue(value: string) {
    if (!DICT_VALUE_PATTERN.test(value)) throw new Invalid('键值只能包含字母、数字、下划线和短横线');
  }

  async function setTypeEnabled(id: string, enabled: boolean) {
    const row = await typeOf(id);
    if (row.enabled !== enabled) await repo.updateType(id, { enabled });
    await dicts.invalidate(row.code);
  }

  async function setItemEnabled(id: string, enabled: boolean) {
    const row = await itemOf(id);
    if (row.enabled !== enabled) await repo.updateItem(id, { enabled });
    await dicts.invalidate(row.typeCode);
  }

  return {
    async listTypes(q: { keyword?: string; enabled?: boolean; page: number; pageSize: number }) {
      const { items, total } = await repo.pageTypes(q);
      return { items: items.map((r) => toType(r, r.itemCount)), total, page: q.page, pageSize: q.pageSize };
    },

    async createType(body: DictTypeBody) {
      const code = body.code.trim();
      if (await repo.typeByCode(code)) throw new Conflict(`字典类型代码“${code}”已存在`);
      const row = await unique(`字典类型代码“${code}”已存在`, () =>
        repo.insertType({ code, name: body.name, sort: body.sort ?? 0, enabled: body.enabled ?? true }));
      // Someone may have asked for this code before it existed: drop the cached empty answer.
      await dicts.invalidate(code);
      return toType(row, 0);
    },

    async updateType(id: string, body: DictTypeBody) {
      const row = await typeOf(id);
      const code = body.code.trim();
      if (code !== row.code) {
        if (row.builtin) throw new Invalid('内置字典类型的代码不能修改');
        if (await repo.typeByCode(code)) throw new Conflict(`字典类型代码“${code}”已存在`);
      }
      const updated = await unique(`字典类型代码“${code}”已存在`, () =>
        db.transaction(async (tx) => {
          const r = dictRepository(tx);
          const u = await r.updateType(id, { code, name: body.name, sort: body.sort ?? row.sort, enabled: body.enabled ?? row.enabled });
          if (code !== row.code) await r.renameItemsType(row.code, code);
          return u!;
        }));
      await dicts.invalidate(row.code);
      if (code !== row.code) await dicts.invalidate(code);
      return toType(updated, await repo.itemCount(code));
    },

    enableTypes: (ids: string[]) => runBatch(ids, (id) => setTypeEnabled(id, true)),
    disableTypes: (ids: string[]) => runBatch(ids, (id) => setTypeEnabled(id, false)),

    /** Deletes each type with its labels, in one transaction per type; built-in types stay. */
    deleteTypes: (ids: string[]) =>
      runBatch(ids, async (id) => {
        const row = await typeOf(id);
        if (row.builtin) throw new Invalid(`“${row.name}”为系统内置字典，不能删除`);
        await db.transaction(async (tx) => {
          const r = dictRepository(tx);
          await r.deleteItemsOfType(row.code);
          await r.deleteType(id);
        });
        await dicts.invalidate(row.code);
      }),

    async items(typeId: string) {
      const type = await typeOf(typeId);
      return (await repo.itemsOf(type.code)).map((r) => toItem(r, isBuiltinItem(type, r.value)));
    },

    async createItem(typeId: string, body: DictItemBody) {
      const type = await typeOf(typeId);
      const value = body.value.trim();
      checkNewValue(value);
      const taken = `键值“${value}”在字典“${type.name}”中已存在`;
      if (await repo.itemByValue(type.code, value)) throw new Conflict(taken);
      const row = await unique(taken, () =>
        repo.insertItem({
          typeCode: type.code, label: body.label, value, tagType: body.tagType ?? null, sort: body.sort ?? 0, enabled: body.enabled ?? true,
        }));
      await dicts.invalidate(type.code);
      return toItem(row, false);
    },

    async updateItem(id: string, body: DictItemBody) {
      const row = await itemOf(id);
      const type = await repo.typeByCode(row.typeCode);
      const value = body.value.trim();
      const builtin = isBuiltinItem(type, row.value);
      const taken = `键值“${value}”在字典“${type?.name ?? row.typeCode}”中已存在`;
      if (value !== row.value) {
        if (builtin) throw new Invalid('内置字典标签的键值不能修改，业务数据依赖该键值');
        checkNewValue(value);
        if (await repo.itemByValue(row.typeCode, value)) throw new Conflict(taken);
      }
      const updated = await unique(taken, () =>
        repo.updateItem(id, {
          label: body.label, value, tagType: body.tagType ?? null, sort: body.sort ?? row.sort, enabled: body.enabled ?? row.enabled,
        }));
      await dicts.invalidate(row.typeCode);
      return toItem(updated!, builtin);
    },

    enableItems: (ids: string[]) => runBatch(ids, (id) => setItemEnabled(id, true)),
    disableItems: (ids: string[]) => runBatch(ids, (id) => setItemEnabled(id, false)),

    deleteItems: (ids: string[]) =>
      runBatch(ids, async (id) => {
        const row = await itemOf(id);
        if (isBuiltinItem(await repo.typeByCode(row.typeCode), row.value)) {
          throw new Invalid(`“${row.label}”为系统内置标签，不能删除，可停用`);
        }
        await repo.deleteItem(id);
        await dicts.invalidate(row.typeCode);
      }),

    /** Names for the operation log. */
    async typeNames(ids: string[]) {
      const rows = await repo.typesByIds(ids.filter((i) => isUuid(i)));
      return listNames(rows.map((r) => `${r.name}（${r.code}）`));
    },
    async typeName(id: string) {
      const row = isUuid(id) ? await repo.typeById(id) : undefined;
      return row ? `${row.name}（${row.code}）` : id;
    },
    /** 'type：new label（原“old label”）' for the operation log of an edit. */
    async itemSubject(id: string, label: string) {
      const row = isUuid(id) ? await repo.itemById(id) : undefined;
      if (!row) return id;
      return `${row.typeCode}：${label}${row.label !== label ? `（原“${row.label}”）` : ''}`;
    },
    async itemNames(ids: string[]) {
      const rows = await repo.itemsByIds(ids.filter((i) => isUuid(i)));
      return listNames(rows.map((r) => `${r.typeCode}：${r.label}`));
    },
  };
}
export type DictAdminService = ReturnType<typeof dictAdminService>;
