import { describe, expect, it } from 'vitest';
import type { EventRowDb } from './event.repository.js';
import type { NodeRow } from './node.repository.js';
import { refuseEventAction, refuseNodeAction, settle, type Actor } from './state-machine.js';

const now = new Date('2026-11-23T10:00:00+08:00');
let seq = 0;
const node = (o: Partial<NodeRow> & Pick<NodeRow, 'orgId'>): NodeRow => ({
  id: `n${++seq}`, eventId: 'e', parentId: null, orgName: o.orgId, orgPath: `/${o.orgId}/`, orgLevel: 'town', role: 'main', via: 'dispatch',
  status: 'todo', requirement: null, fromOrgId: null, fromOrgName: null, fromCity: false, replyAudit: false, deadline: null, warnAt: null, signedAt: null,
  signedBy: null, signOpinion: null, handledAt: null, handlerId: null, handlerName: null, opinion: null, warnedAt: null, overdueAt: null,
  endedAt: null, createdAt: now, updatedAt: now, ...o,
});
const event = (o: Partial<EventRowDb> = {}) => ({ ownerOrgId: 'city', status: 'processing', creatorOrgId: 'city', fromCity: false, reportedToCity: false, ...o }) as EventRowDb;
const actor = (orgId: string, o: Partial<Actor> = {}): Actor => ({
  userId: 'u', name: '值班员', orgId, orgName: orgId, orgPath: `/${orgId}/`, orgLevel: 'town', isCityCentre: false, isTownCentre: false, ...o,
});

describe('settle', () => {
  it('turns the closing organisation to 待结案 only when every main and assist node is done', () => {
    const city = node({ orgId: 'city', via: 'initiate', status: 'waiting' });
    const main = node({ orgId: 'town', parentId: city.id, status: 'submitted', handledAt: now });
    const assist = node({ orgId: 'dept', parentId: city.id, role: 'assist', status: 'todo' });
    const cc = node({ orgId: 'other', parentId: city.id, role: 'cc', status: 'todo' });
    const nodes = [city, main, assist, cc];
    expect(settle(event(), nodes, now)).toEqual({ changes: [], handled: false });
    assist.status = 'submitted';
    assist.handledAt = now;
    // The CC's unread copy does not hold the event.
    expect(settle(event(), nodes, now)).toMatchObject({ handled: true, changes: [{ id: city.id, status: 'closing' }] });
  });

  it('brings a town that only dispatched back to its to-do, and a handled one on to submitted', () => {
    const city = node({ orgId: 'city', via: 'initiate', status: 'waiting' });
    const town = node({ orgId: 'town', parentId: city.id, status: 'waiting' });
    const community = node({ orgId: 'community', parentId: town.id, status: 'submitted', handledAt: now });
    const nodes = [city, town, community];
    settle(event(), nodes, now);
    expect([city.status, town.status]).toEqual(['waiting', 'todo']);

    // Handled, then waiting for an assistant it asked: submitted as soon as the assistant is.
    town.status = 'waiting';
    town.handledAt = now;
    const helper = node({ orgId: 'helper', parentId: town.id, role: 'assist', via: 'assist', status: 'submitted', handledAt: now });
    nodes.push(helper);
    expect(settle(event(), nodes, now).handled).toBe(true);
    expect([town.status, city.status]).toEqual(['submitted', 'closing']);
  });

  it('gives the to-do back when everything sent down was returned or recalled', () => {
    const city = node({ orgId: 'city', via: 'initiate', status: 'waiting' });
    const nodes = [city, node({ orgId: 'dept', parentId: city.id, status: 'returned' })];
    expect(settle(event(), nodes, now).handled).toBe(false);
    expect(city.status).toBe('todo');
  });

  it('lets an organisation given the closing rights close while its dispatcher waits on it', () => {
    const city = node({ orgId: 'city', via: 'initiate', status: 'waiting' });
    const town = node({ orgId: 'town', parentId: city.id, status: 'waiting', handledAt: now });
    expect(settle(event({ ownerOrgId: 'town' }), [city, town], now).handled).toBe(true);
    expect([city.status, town.status]).toEqual(['waiting', 'closing']);
  });
});

describe('refusals', () => {
  it('tells whose to-do it is and what state it is in', () => {
    const n = node({ orgId: 'town', status: 'submitted' });
    const ctx = { event: event(), nodes: [n], pending: new Map() };
    expect(refuseNodeAction('handle', ctx, n, actor('other'))).toEqual({ status: 403, message: '该待办不属于您的单位' });
    expect(refuseNodeAction('handle', ctx, n, actor('town'))).toEqual({ status: 409, message: '该待办当前为「已提交」，不能执行此操作' });
  });

  it('asks a copied organisation only to read: no signing, no returning', () => {
    const cc = node({ orgId: 'town', role: 'cc', fromCity: true });
    const ctx = { event: event(), nodes: [cc], pending: new Map() };
    expect(refuseNodeAction('sign', ctx, cc, actor('town'))).toEqual({ status: 409, message: '抄送的事件只需阅知，无需签收' });
    expect(refuseNodeAction('return', ctx, cc, actor('town'))).toEqual({ status: 409, message: '抄送的事件只需阅知，不能退回' });
    expect(refuseNodeAction('read', ctx, cc, actor('town'))).toBeNull();
  });

  it('holds a to-do whose handling result waits for approval: only tracking goes on', () => {
    const n = node({ orgId: 'town', replyAudit: true, deadline: now });
    const ctx = { event: event(), nodes: [n], pending: new Map([[n.id, 'reply' as const]]) };
    for (const a of ['handle', 'dispatch', 'assist', 'delay', 'return'] as const) {
      expect(refuseNodeAction(a, ctx, n, actor('town'))).toEqual({ status: 409, message: '已有待审核的申请，请等待审核结果' });
    }
    expect(refuseNodeAction('track', ctx, n, actor('town'))).toBeNull();
    // A delay waiting for audit does not stop the organisation handling.
    expect(refuseNodeAction('handle', { ...ctx, pending: new Map([[n.id, 'delay' as const]]) }, n, actor('town'))).toBeNull();
    expect(refuseNodeAction('handle', { ...ctx, pending: new Map() }, n, actor('town'))).toBeNull();
  });

  it('keeps the city’s key-order mark for city-dispatched events', () => {
    const ctx = { event: event({ fromCity: true }), nodes: [] };
    expect(refuseEventAction('key', ctx, actor('town', { isTownCentre: true }))?.status).toBe(409);
    expect(refuseEventAction('key', ctx, actor('city', { isCityCentre: true }))).toBeNull();
    expect(refuseEventAction('key', ctx, actor('dept'))?.status).toBe(403);
  });
});
