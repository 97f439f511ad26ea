import { describe, expect, it } from 'vitest';
import { ResourceQuery, type Endpoint } from '@cityops/contracts';
import { z } from 'zod';
import type { ResourceRow } from './resource.repository.js';
import { liveResources, permissionCodes } from './access.service.js';
import { buildResourceTree, matchesResource } from './resource.service.js';
import { apiCatalogue } from './seed/api-resources.js';

const row = (id: string, parentId: string | null, o: Partial<ResourceRow> = {}): ResourceRow => ({
  id, parentId, type: 'menu', name: id, code: id, route: `/${id}`, serviceUrl: null, icon: null, sort: 0,
  access: 'authorized', securityLevel: 1, permission: `m:${id}:list`, builtin: false, enabled: true, ...o,
});

describe('resources in force', () => {
  const folder = row('folder', null, { type: 'directory', route: null, permission: null, access: 'authenticated' });
  const page = row('page', 'folder');
  const button = row('button', 'page', { type: 'button', route: null, permission: 'm:page:edit' });
  const open = row('open', 'folder', { access: 'authenticated', permission: 'm:open:list' });

  it('a resource is in force only while it and every ancestor are enabled', () => {
    expect(liveResources([folder, page, button]).map((r) => r.id)).toEqual(['folder', 'page', 'button']);
    // `page` disabled: absent from the enabled list, so its button is out of force too.
    expect(liveResources([folder, button]).map((r) => r.id)).toEqual(['folder']);
    expect(liveResources([page, button]).map((r) => r.id)).toEqual([]);
  });

  it('permissions come from granted resources in force, plus open resources in force', () => {
    expect(permissionCodes([page, button], [folder, page, button, open])).toEqual(['m:open:list', 'm:page:edit', 'm:page:list']);
    expect(permissionCodes([page, button], [folder, button, open])).toEqual(['m:open:list']);
    expect(permissionCodes([page], [page, open])).toEqual([]);
    expect(permissionCodes([], [folder, open])).toEqual(['m:open:list']);
  });
});

describe('resource search', () => {
  const q = (input: z.input<typeof ResourceQuery>) => ResourceQuery.parse(input);
  const oplog = row('oplog', 'basic', { name: '操作日志', code: 'system:oplog', securityLevel: 2 });
  const basic = row('basic', null, { type: 'directory', name: '基础管理', code: 'system:group:basic', route: null, permission: null, access: 'authenticated' });
  const other = row('other', 'basic', { name: '字典管理', code: 'system:dict', enabled: false });

  it('keyword: name contains, code starts with', () => {
    expect(matchesResource(oplog, q({ keyword: '日志' }))).toBe(true);
    expect(matchesResource(oplog, q({ keyword: 'SYSTEM:op' }))).toBe(true);
    expect(matchesResource(oplog, q({ keyword: 'oplog' }))).toBe(false);
    expect(matchesResource(oplog, q({ securityLevel: '2', access: 'authorized', enabled: 'true' }))).toBe(true);
    expect(matchesResource(other, q({ enabled: 'true' }))).toBe(false);
  });

  it('places matches under their ancestors and counts the whole tree', () => {
    const t = buildResourceTree([oplog, basic, other], new Map([['oplog', 2]]), q({ keyword: '日志' }));
    expect(t.matched).toBe(1);
    expect(t.items).toHaveLength(1);
    expect(t.items[0]).toMatchObject({ id: 'basic', matched: false, childCount: 2 });
    expect(t.items[0]!.children.map((c) => [c.id, c.matched, c.grantCount, c.parentName])).toEqual([['oplog', true, 2, '基础管理']]);
    expect(t.counts).toEqual({ total: 3, directory: 1, menu: 2, button: 0, disabled: 1 });
  });
});

describe('API catalogue', () => {
  it('one namespace per tag, one service per endpoint, named by its summary', () => {
    const e = (method: Endpoint['method'], path: string, tag: string, summary: string) =>
      ({ method, path, tags: [tag], summary, access: 'anonymous', response: z.any() }) as Endpoint;
    const c = apiCatalogue({
      a: e('GET', '/api/system/x', 'system', '甲'),
      b: e('POST', '/api/auth/login', 'auth', '登录'),
      c: e('DELETE', '/api/system/x/:id', 'system', '删除甲'),
      d: e('GET', '/api/iot/devices', 'iot', '设备'),
      z: e('GET', '/api/zzz', 'zzz', '未命名模块'),
    });
    expect(c).toEqual([
      { name: '系统管理', url: '/api/system', services: [{ name: '甲', url: 'GET /api/system/x' }, { name: '删除甲', url: 'DELETE /api/system/x/:id' }] },
      { name: '认证', url: '/api/auth', services: [{ name: '登录', url: 'POST /api/auth/login' }] },
      { name: '物联感知', url: '/api/iot', services: [{ name: '设备', url: 'GET /api/iot/devices' }] },
      { name: 'zzz', url: '/api/zzz', services: [{ name: '未命名模块', url: 'GET /api/zzz' }] },
    ]);
  });
});
