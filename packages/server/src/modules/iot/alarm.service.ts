import { ALARM_STATUS_LABELS, RULE_LEVEL_LABELS, type Alarm, type AlarmQuery, type AlarmStatus, type RuleLevel } from '@cityops/contracts';
import { shanghaiDateTime } from '../../core/audit/buckets.js';
import type { Db } from '../../core/db.js';
import { toXlsx } from '../../core/excel.js';
import { Conflict, NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { orgRepository } from '../system/org.repository.js';
import { alarmRepository, type AlarmFilter } from './alarm.repository.js';

type Listed = NonNullable<Awaited<ReturnType<ReturnType<typeof alarmRepository>['byId']>>>;

/** Which devices' alarms a user sees: those of the organisations in their scope (device-scope.ts). */
export type AlarmScope = (user: Principal) => Promise<{ all: boolean; orgIds: string[] }>;

/** 告警记录: the list, detail, 确认 and 解除 by people, and the Excel export — within the user's device scope. */
export function alarmService(d: { db: Db; scope?: AlarmScope }) {
  const repo = alarmRepository(d.db);

  const scoped = async (user: Principal): Promise<Pick<AlarmFilter, 'orgIds'>> => {
    if (!d.scope) return {};
    const s = await d.scope(user);
    return s.all ? {} : { orgIds: s.orgIds };
  };

  async function toAlarms(rows: Listed[]): Promise<Alarm[]> {
    const orgIds = [...new Set(rows.map((r) => r.orgId).filter((x): x is string => !!x))];
    const orgs = new Map((await orgRepository(d.db).byIds(orgIds)).map((o) => [o.id, o.name]));
    return rows.map(({ alarm: a, deviceName, deviceKey, orgId, productId, productName }) => ({
      id: String(a.id), ruleId: a.ruleId, ruleName: a.ruleName, deviceId: a.deviceId, deviceName, deviceKey, productId, productName,
      orgName: orgId ? (orgs.get(orgId) ?? null) : null, level: a.level as RuleLevel, title: a.title, detail: a.detail,
      status: a.status as AlarmStatus, eventId: a.eventId, eventNo: a.eventNo, raisedAt: a.raisedAt.toISOString(),
      acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null, acknowledgedBy: a.acknowledgedBy, clearedAt: a.clearedAt?.toISOString() ?? null,
    }));
  }

  async function get(id: string, user: Principal) {
    const row = await repo.byId(Number(id));
    const scope = await scoped(user);
    // Out of scope reads as missing, as elsewhere: the id says nothing about other towns' devices.
    if (!row || (scope.orgIds && !(row.orgId && scope.orgIds.includes(row.orgId)))) throw new NotFound('告警不存在');
    return (await toAlarms([row]))[0]!;
  }

  return {
    async list(q: AlarmQuery, user: Principal) {
      const { items, total } = await repo.page({ ...q, ...(await scoped(user)) });
      return { items: await toAlarms(items), total, page: q.page, pageSize: q.pageSize };
    },

    get,

    async title(id: string) {
      return (await repo.byId(Number(id)))?.alarm.title ?? id;
    },

    async acknowledge(id: string, user: Principal, note: string) {
      const current = await get(id, user);
      if (current.status !== 'active') throw new Conflict(`告警${ALARM_STATUS_LABELS[current.status]}，不能再确认`);
      if (!(await repo.acknowledge(Number(id), user.name, { ackNote: note }))) throw new Conflict('告警已被他人处理，请刷新后查看');
      return get(id, user);
    },

    async clear(id: string, user: Principal, note: string) {
      const current = await get(id, user);
      if (current.status === 'cleared') throw new Conflict('告警已解除');
      if (!(await repo.clearOne(Number(id), { clearedBy: 'user', clearedByName: user.name, clearNote: note }))) {
        throw new Conflict('告警已被他人解除，请刷新后查看');
      }
      return get(id, user);
    },

    /** The newest `limit` matching alarms as a workbook, with how many matched. */
    async export(f: AlarmFilter, limit: number, o: { user: Principal; at: Date }) {
      const { rows, total } = await repo.exportRows({ ...f, ...(await scoped(o.user)) }, limit);
      const alarms = await toAlarms(rows);
      const time = (s: string | null) => (s ? shanghaiDateTime(new Date(s)) : '');
      const body = await toXlsx('告警记录', [
        { header: '告警编号', width: 10, value: (a: Alarm) => a.id },
        { header: '告警标题', width: 32, value: (a) => a.title },
        { header: '级别', width: 8, value: (a) => RULE_LEVEL_LABELS[a.level] },
        { header: '状态', width: 8, value: (a) => ALARM_STATUS_LABELS[a.status] },
        { header: '规则', width: 20, value: (a) => a.ruleName },
        { header: '条件', width: 28, value: (a) => String(a.detail.condition ?? '') },
        { header: '触发值', width: 10, value: (a) => (a.detail.value === undefined ? '' : String(a.detail.value)) },
        { header: '产品', width: 20, value: (a) => a.productName },
        { header: '设备名称', width: 24, value: (a) => a.deviceName },
        { header: '设备标识', width: 20, value: (a) => a.deviceKey },
        { header: '责任单位', width: 24, value: (a) => a.orgName },
        { header: '事件编号', width: 20, value: (a) => a.eventNo },
        { header: '告警时间', width: 20, value: (a) => time(a.raisedAt) },
        { header: '确认时间', width: 20, value: (a) => time(a.acknowledgedAt) },
        { header: '确认人', width: 12, value: (a) => a.acknowledgedBy },
        { header: '解除时间', width: 20, value: (a) => time(a.clearedAt) },
      ], alarms, {
        notes: [
          ['导出人', `${o.user.name}（${o.user.username}）`],
          ['导出时间', shanghaiDateTime(o.at)],
          ['符合条件', `${total} 条`],
          ['导出条数', `${alarms.length} 条${total > alarms.length ? `（超过上限 ${limit} 条，已截断）` : ''}`],
        ],
      });
      return { body, total, rows: alarms.length };
    },
  };
}
export type AlarmService = ReturnType<typeof alarmService>;
