import type { DispatchGroup as DispatchGroupSchema, DispatchGroupCreate } from '@cityops/contracts';
import type { z } from 'zod';
import type { DbOrTx } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { orgRepository } from '../system/org.repository.js';
import { dispatchGroupRepository, type DispatchGroupRow } from './dispatch-group.repository.js';

type DispatchGroup = z.infer<typeof DispatchGroupSchema>;

export const DISPATCH_GROUP_LIMIT = 50;

/**
 * 交办分组: a user's saved set of dispatch targets, picked again in one click. Private to the user;
 * saving under an existing name replaces its organisations.
 */
export function dispatchGroupService(db: DbOrTx) {
  const repo = dispatchGroupRepository(db);
  const orgs = orgRepository(db);

  /** Organisations deleted since the group was saved drop out of both lists, which stay parallel. */
  const toDto = (r: DispatchGroupRow, names: Map<string, string>): DispatchGroup => {
    const orgIds = r.orgIds.filter((id) => names.has(id));
    return { id: r.id, name: r.name, orgIds, orgNames: orgIds.map((id) => names.get(id)!) };
  };

  return {
    async list(user: Principal): Promise<DispatchGroup[]> {
      const rows = await repo.list(user.id);
      const names = await orgs.namesOf([...new Set(rows.flatMap((r) => r.orgIds))]);
      return rows.map((r) => toDto(r, names));
    },

    async create(user: Principal, input: z.output<typeof DispatchGroupCreate>): Promise<DispatchGroup> {
      const orgIds = [...new Set(input.orgIds)];
      const names = await orgs.namesOf(orgIds);
      const missing = orgIds.filter((id) => !names.has(id)).length;
      if (missing) {
        const message = `所选单位中有 ${missing} 个不存在或已删除，请重新选择`;
        throw new Invalid(message, [{ path: 'orgIds', message }]);
      }
      const same = await repo.findByName(user.id, input.name);
      if (same) return toDto(await repo.updateOrgs(same.id, orgIds), names);
      if ((await repo.countFor(user.id)) >= DISPATCH_GROUP_LIMIT) {
        throw new Conflict(`最多保存 ${DISPATCH_GROUP_LIMIT} 个交办分组，请先删除不用的`);
      }
      return toDto(await repo.insert({ userId: user.id, name: input.name, orgIds }), names);
    },

    /** Deletes one of the user's own groups; another user's is "not found". */
    async remove(user: Principal, id: string): Promise<DispatchGroupRow> {
      const row = isUuid(id) ? await repo.deleteOwn(user.id, id) : undefined;
      if (!row) throw new NotFound('交办分组不存在或已删除');
      return row;
    },
  };
}
export type DispatchGroupService = ReturnType<typeof dispatchGroupService>;
