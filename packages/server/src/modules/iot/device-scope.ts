import { SUPER_PERMISSION } from '@cityops/contracts';
import { Forbidden } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { ScopeService } from '../system/scope.service.js';
import type { DeviceScope } from './device.repository.js';

/**
 * The devices a user sees and manages: those of the organisations of their 本级及下级 scope (the
 * event hub's: a 城运中心 acts for its town or the city), every device for super administrators.
 */
export function deviceScopes(scope: Pick<ScopeService, 'eventScope'>) {
  return {
    async of(user: Principal): Promise<DeviceScope> {
      if (user.permissions.includes(SUPER_PERMISSION)) return { all: true, orgIds: [] };
      const s = await scope.eventScope(user);
      return { all: s.all, orgIds: [...s.self, ...s.children] };
    },

    /** True when a device of organisation `orgId` (null: none) is in the scope. */
    covers(s: DeviceScope, orgId: string | null) {
      return s.all || (orgId !== null && s.orgIds.includes(orgId));
    },

    assertCovers(s: DeviceScope, orgId: string | null) {
      if (!this.covers(s, orgId)) throw new Forbidden('该责任单位不在您的管理范围内', 'OUT_OF_SCOPE');
    },
  };
}
export type DeviceScopes = ReturnType<typeof deviceScopes>;
