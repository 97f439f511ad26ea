import { ORG_TAG_CITY_CENTRE, ORG_TAG_TOWN_CENTRE, type EventInput, type EventRef, type RuleKind } from '@cityops/contracts';
import type { Db } from '../../core/db.js';
import { shanghaiDateTime } from '../../core/audit/buckets.js';
import type { Actor } from '../events/state-machine.js';
import { orgRepository, type OrgRow } from '../system/org.repository.js';
import type { DeviceRef, ProductRef } from './ports.js';
import type { PlatformAccount } from './seed/platform-account.js';

/** The event hub's intake as the IoT platform uses it (events/event-intake.service.ts). */
export interface EventIntake {
  createAs(actor: Actor, input: EventInput & { submit: boolean }, o?: { partialForm?: boolean }): Promise<EventRef>;
}
/** The catalogue: which types may be chosen (an enabled leaf). */
export interface EventCatalogue {
  assertSelectable(code: string): Promise<unknown>;
}

/** When neither the rule nor the product names a type: by device category, else 安全生产隐患. */
export const FALLBACK_EVENT_TYPE = 'security.stability.hazard';
const CATEGORY_EVENT_TYPES: Record<string, string> = {
  smoke: 'emergency.accident.fire',
  gas: 'emergency.accident.gas-leak',
  water_level: 'emergency.disaster.waterlogging',
  manhole: 'urban.facility.manhole',
};

export interface AlarmEventInput {
  device: DeviceRef;
  product: ProductRef | undefined;
  rule: { name: string; kind: RuleKind };
  action: { typeCode?: string; orgId?: string; title?: string };
  alarmId: number;
  condition: string;
  value?: unknown;
  /** When the device reported it (ms). */
  at: number;
}

export type AlarmEventOutcome =
  | { ok: true; event: EventRef; typeCode: string; orgId: string; note?: string }
  | { ok: false; message: string };

const ORG_TTL_MS = 60_000;

/**
 * Turns an alarm into an event of the hub (source 物联告警): created by the built-in account
 * 物联感知平台 acting for the device's organisation, so that the event's first node is that
 * organisation's to-do.
 */
export function alarmEventBridge(d: { db: Db; intake: EventIntake; catalogue: EventCatalogue; account: () => Promise<PlatformAccount> }) {
  const orgs = new Map<string, { at: number; row: Promise<OrgRow | undefined> }>();
  const orgOf = (id: string) => {
    const hit = orgs.get(id);
    if (hit && Date.now() - hit.at < ORG_TTL_MS) return hit.row;
    const row = orgRepository(d.db).byId(id);
    orgs.set(id, { at: Date.now(), row });
    return row;
  };

  /** The first selectable of the candidates; says so when the configured one could not be used. */
  async function typeFor(candidates: (string | null | undefined)[]) {
    const wanted = candidates.filter((c): c is string => !!c);
    for (const [i, code] of wanted.entries()) {
      try {
        await d.catalogue.assertSelectable(code);
        return { code, note: i > 0 ? `事件类型 ${wanted[0]} 不可用，改用 ${code}` : undefined };
      } catch {
        // Disabled or not a leaf: try the next one.
      }
    }
    return undefined;
  }

  function unitOf(product: ProductRef | undefined, property: string | undefined) {
    const p = property ? product?.thingModel.properties.find((x) => x.identifier === property) : undefined;
    return p ? { name: p.name, unit: p.dataType.specs?.unit ?? '' } : undefined;
  }

  return {
    async raise(x: AlarmEventInput & { property?: string }): Promise<AlarmEventOutcome> {
      const orgId = x.action.orgId ?? x.device.orgId;
      if (!orgId) return { ok: false, message: '设备未指定责任单位，未生成事件' };
      const org = await orgOf(orgId);
      if (!org || !org.enabled) return { ok: false, message: '责任单位不存在或已停用，未生成事件' };
      const productType = x.rule.kind === 'offline' ? undefined : x.product?.eventTypeCode;
      const categoryType = x.rule.kind === 'offline' ? undefined : CATEGORY_EVENT_TYPES[x.product?.category ?? ''];
      const type = await typeFor([x.action.typeCode, productType, categoryType, FALLBACK_EVENT_TYPE]);
      if (!type) return { ok: false, message: '没有可用的事件类型，未生成事件' };

      const account = await d.account();
      const actor: Actor = {
        userId: account.id, name: account.name, orgId: org.id, orgName: org.name, orgPath: org.path, orgLevel: org.level,
        isCityCentre: org.tags.includes(ORG_TAG_CITY_CENTRE), isTownCentre: org.tags.includes(ORG_TAG_TOWN_CENTRE),
      };
      const at = Math.min(x.at, Date.now());
      const prop = unitOf(x.product, x.property);
      const value = x.value === undefined ? '' : `，${prop?.name ?? '当前值'} ${String(x.value)}${prop?.unit ?? ''}`;
      const where = x.device.address ? `位置：${x.device.address}。` : '';
      const content = `${x.device.name}（${x.product?.name ?? '设备'}，设备标识 ${x.device.deviceKey}）于 ${shanghaiDateTime(new Date(at))} 触发规则「${x.rule.name}」：${x.condition}${value}。${where}物联告警编号 ${x.alarmId}。`;
      const located = x.device.lat !== null && x.device.lng !== null;
      try {
        const event = await d.intake.createAs(actor, {
          typeCode: type.code,
          title: (x.action.title || `${x.device.name}${x.rule.name}`).slice(0, 100),
          content,
          source: 'iot',
          occurredAt: new Date(at).toISOString(),
          regionCode: x.device.regionCode ?? undefined,
          address: x.device.address?.slice(0, 200) ?? undefined,
          ...(located ? { lat: x.device.lat!, lng: x.device.lng! } : {}),
          formData: {},
          fileIds: [],
          submit: true,
        }, { partialForm: true });
        return { ok: true, event, typeCode: type.code, orgId: org.id, note: type.note };
      } catch (err) {
        return { ok: false, message: `生成事件失败：${err instanceof Error ? err.message : String(err)}` };
      }
    },
  };
}
export type AlarmEventBridge = ReturnType<typeof alarmEventBridge>;
