import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/backends.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { messageService } from '../messaging/message.service.js';
import { evtNode } from './node.table.js';
import { reminderService } from './reminder.service.js';

const PW = 'Chongzhou@2026';
const HOUR = 3600_000;

/**
 * 临期 / 超期 reminders come from stored deadlines: a sweep after a restart still finds them, and
 * no reminder goes out twice, even when two sweeps run at once.
 */
describe.each(backends)('deadline reminders on %s', (backend) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-reminders-'));
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = () => startHarness(backend, { DEMO_DATA: 'true', EVENT_REMINDER_SECONDS: '0' }, { dataDir, keepData: true, persistent: true });
  const unread = async (token: string, kind: string) =>
    (await h!.call('GET', '/api/messages?unread=true&pageSize=200', { token })).json().items.filter((m: { kind: string }) => m.kind === kind);

  it('warns once, then reports overdue once, across a restart and concurrent sweeps', async () => {
    h = await start();
    const token = await h.login('cy_op', PW);
    const created = await h.call('POST', '/api/events', {
      token, body: { typeCode: 'urban.appearance.clutter', title: '背街小巷垃圾堆积', source: 'self' },
    });
    expect(created.statusCode, created.body).toBe(200);
    const eventId = created.json().id as string;
    const now = Date.now();
    // Time passes: the to-do is inside its 临期 window.
    await h.database.db.update(evtNode).set({ warnAt: new Date(now - HOUR), deadline: new Date(now + HOUR) }).where(eq(evtNode.eventId, eventId));

    const sweep = () => reminderService(h!.database.db, messageService(h!.database.db)).sweep();
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect(a.warned + b.warned).toBe(1);
    expect((await sweep()).warned).toBe(0);
    const warnings = await unread(token, 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].title).toContain('背街小巷垃圾堆积');

    // Restart the product (embedded database on disk): the deadline is in the database, not in a
    // timer of the old process.
    if (backend === 'pglite') {
      await h.close();
      h = await start();
    }
    await h.database.db.update(evtNode).set({ deadline: new Date(now - 1000) }).where(eq(evtNode.eventId, eventId));
    const after = await sweep();
    expect(after).toEqual({ warned: 0, overdue: 1 });
    expect((await sweep()).overdue).toBe(0);
    const token2 = await h.login('cy_op', PW);
    expect(await unread(token2, 'overdue')).toHaveLength(1);
    expect(await unread(token2, 'warn')).toHaveLength(1);

    // A delay gives the new deadline its own reminders.
    const nodeId = (await h.call('GET', `/api/events/${eventId}`, { token: token2 })).json().tree[0].id;
    const r = await h.call('POST', `/api/events/${eventId}/nodes/${nodeId}/delay`, { token: token2, body: { newDeadline: new Date(now + 48 * HOUR).toISOString(), reason: '等待配件' } });
    expect(r.statusCode, r.body).toBe(200);
    const [node] = await h.database.db.select().from(evtNode).where(eq(evtNode.id, nodeId));
    expect(node!.warnedAt).toBeNull();
    expect(node!.overdueAt).toBeNull();
  });
});
