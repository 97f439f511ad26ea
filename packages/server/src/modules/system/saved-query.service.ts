import { SAVED_QUERY_LIMIT, type SavedQuery, type SavedQueryCreate } from '@cityops/contracts';
import type { DbOrTx } from '../../core/db.js';
import { Conflict, NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { savedQueryRepository, type SavedQueryRow } from './saved-query.repository.js';
import { isUuid } from '../../core/ids.js';


const toDto = (r: SavedQueryRow): SavedQuery => ({
  id: r.id,
  page: r.page,
  name: r.name,
  conditions: r.conditions,
  createdAt: r.createdAt.toISOString(),
});

/**
 * 常用查询: search conditions a user saved on a list page. Each user sees, overwrites and deletes
 * only their own; any logged-in user may use them on any list.
 */
export function savedQueryService(db: DbOrTx) {
  const repo = savedQueryRepository(db);
  return {
    async list(user: Principal, page: string): Promise<SavedQuery[]> {
      return (await repo.list(user.id, page)).map(toDto);
    },

    /** Saves under a name; saving again under the same name replaces the conditions. */
    async create(user: Principal, input: SavedQueryCreate): Promise<SavedQuery> {
      const same = await repo.findByName(user.id, input.page, input.name);
      if (same) return toDto(await repo.updateConditions(same.id, input.conditions));
      if ((await repo.countFor(user.id, input.page)) >= SAVED_QUERY_LIMIT) {
        throw new Conflict(`每个页面最多保存 ${SAVED_QUERY_LIMIT} 个常用查询，请先删除不用的`);
      }
      return toDto(await repo.insert({ userId: user.id, page: input.page, name: input.name, conditions: input.conditions }));
    },

    /** Deletes one of the user's own saved queries; another user's is "not found". */
    async remove(user: Principal, id: string): Promise<SavedQueryRow> {
      const row = isUuid(id) ? await repo.deleteOwn(user.id, id) : undefined;
      if (!row) throw new NotFound('常用查询不存在或已删除');
      return row;
    },
  };
}
export type SavedQueryService = ReturnType<typeof savedQueryService>;
