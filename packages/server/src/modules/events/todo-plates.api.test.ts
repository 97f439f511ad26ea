import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { backends } from '../../test/backends.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { sysOrg } from '../system/org.table.js';

const PW = 'Chongzhou@2026';

/**
 * GET /api/events/todos/plates: the legend above a to-do box counts the same to-dos as the list
 * (same box, same conditions), per plate, in one statement.
 */
describe.each(backends)('to-do plate counts on %s', (backend) => {
  let h: Harness;
  const t: Record<string, string> = {};
  let cyOrg = '';

  const get = async (who: string, url: string, status = 200) => {
    const r = await h.call('GET', url, { token: t[who] });
    expect(r.statusCode, r.body).toBe(status);
    return r.json();
  };
  const post = async (who: string, url: string, body: unknown) => {
    const r = await h.call('POST', url, { token: t[who], body });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const nodeFor = async (who: string, id: string, action: string) =>
    ((await get(who, `/api/events/${id}`)).actions as { action: string; nodeId: string }[]).find((a) => a.action === action)!.nodeId;
  /** The city centre dispatches an event to 崇阳街道城运中心 as main; its node's plate is then set by time. */
  async function dispatched(title: string, source: string, deadline: string | null, warnAt: string | null) {
    const e = await post('city_op', '/api/events', { typeCode: 'urban.appearance.clutter', title, content: title, source });
    await post('city_op', `/api/events/${e.id}/nodes/${await nodeFor('city_op', e.id, 'dispatch')}/dispatch`, { targets: [{ orgId: cyOrg, role: 'main' }] });
    const at = (v: string | null) => (v === null ? sql`null` : sql`now() + ${sql.raw(`interval '${v}'`)}`);
    await h.database.db.execute(sql`update evt_node set deadline = ${at(deadline)}, warn_at = ${at(warnAt)} where event_id = ${e.id} and org_id = ${cyOrg}`);
    return e.id as string;
  }

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    const [cy] = await h.database.db.select().from(sysOrg).where(eq(sysOrg.code, '510184001-CYZX'));
    cyOrg = cy!.id;
    for (const u of ['city_op', 'cy_op', 'auditor']) t[u] = await h.login(u, PW);
    await dispatched('蜀州中路乱堆乱放甲', 'hotline', '3 days', '2 days');
    await dispatched('蜀州中路乱堆乱放乙', 'hotline', '3 days', '2 days');
    await dispatched('文井江路乱堆乱放', 'grid', '2 hours', '-1 hour');
    await dispatched('永康东路乱堆乱放', 'hotline', '-1 day', '-2 days');
    await dispatched('唐安路乱堆乱放', 'grid', null, null);
  });
  afterAll(async () => h?.dispose());

  it('counts the box per plate, as the list filtered by each plate does', async () => {
    const counts = await get('cy_op', '/api/events/todos/plates?box=handle');
    expect(counts).toEqual({ all: 5, green: 2, yellow: 1, red: 1 });
    for (const plate of ['green', 'yellow', 'red'] as const) {
      expect((await get('cy_op', `/api/events/todos?box=handle&plate=${plate}`)).total).toBe(counts[plate]);
    }
    // The city centre waits for all five (交办后任务); 崇阳 has nothing to close.
    expect((await get('city_op', '/api/events/todos/plates?box=dispatched')).all).toBe(5);
    expect(await get('cy_op', '/api/events/todos/plates?box=closing')).toEqual({ all: 0, green: 0, yellow: 0, red: 0 });
  });

  it('applies the list conditions: keyword, source, deadline', async () => {
    expect(await get('cy_op', `/api/events/todos/plates?box=handle&keyword=${encodeURIComponent('蜀州中路')}`)).toEqual({ all: 2, green: 2, yellow: 0, red: 0 });
    expect(await get('cy_op', '/api/events/todos/plates?box=handle&source=grid')).toEqual({ all: 2, green: 0, yellow: 1, red: 0 });
    const soon = new Date(Date.now() + 6 * 3600_000).toISOString();
    expect(await get('cy_op', `/api/events/todos/plates?box=handle&deadlineBefore=${soon}`)).toEqual({ all: 2, green: 0, yellow: 1, red: 1 });
  });

  it('refuses a bad date in Chinese and a user without the to-do permission', async () => {
    const bad = await h.call('GET', '/api/events/todos/plates?box=handle&deadlineBefore=2026-13-45', { token: t.cy_op });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/[\u4e00-\u9fa5]/);
    await get('auditor', '/api/events/todos/plates?box=handle', 403);
  });
});
