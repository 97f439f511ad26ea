import { SUPER_PERMISSION } from '@cityops/contracts';

/** The authenticated user behind a request, as the guards and services see them. */
export interface Principal {
  id: string;
  username: string;
  name: string;
  orgId: string | null;
  orgName: string | null;
  /** '/root/…/own/' — the organisation scope (本级 = orgId, 下级 = paths under it). */
  orgPath: string | null;
  /** The organisation's level and tags (e.g. 市城运中心), which the event hub's rules turn on. */
  orgLevel: string | null;
  orgTags: string[];
  permissions: string[];
  /** Set while the user must change the password before doing anything else. */
  passwordChangeReason?: 'initial' | 'expired' | 'reset';
  token: string;
}

export const hasPermission = (p: Principal, code: string) =>
  p.permissions.includes(SUPER_PERMISSION) || p.permissions.includes(code);
