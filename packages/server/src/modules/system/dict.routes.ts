import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { batchRoutes, route } from '../../core/http.js';
import type { DictAdminService } from './dict-admin.service.js';
import type { DictService } from './dict.service.js';

export function dictReadRoutes(app: FastifyInstance, d: { dicts: DictService }) {
  route(app, endpoints.dictOptions, ({ params }) => d.dicts.options(params.type));
}

const TYPE = '字典类型';
const ITEM = '字典标签';

/** 字典管理: types and labels. */
export function dictAdminRoutes(app: FastifyInstance, d: { dictAdmin: DictAdminService }) {
  const s = d.dictAdmin;

  route(app, endpoints.dictTypes, ({ query }) => s.listTypes(query));

  route(app, endpoints.dictTypeCreate, async ({ body, req }) => {
    req.audit = { type: '新增', subjectType: TYPE, subjectName: `${body.name}（${body.code}）` };
    return s.createType(body);
  });

  route(app, endpoints.dictTypeUpdate, async ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: TYPE, subjectName: await s.typeName(params.id) };
    return s.updateType(params.id, body);
  });

  batchRoutes(app, { subjectType: TYPE, names: s.typeNames }, [
    [endpoints.dictTypesEnable, '启用', (ids) => s.enableTypes(ids)],
    [endpoints.dictTypesDisable, '禁用', (ids) => s.disableTypes(ids)],
    [endpoints.dictTypesDelete, '删除', (ids) => s.deleteTypes(ids)],
  ]);

  route(app, endpoints.dictItems, ({ params }) => s.items(params.id));

  route(app, endpoints.dictItemCreate, async ({ params, body, req }) => {
    req.audit = { type: '新增', subjectType: ITEM, subjectName: `${await s.typeName(params.id)}：${body.label}` };
    return s.createItem(params.id, body);
  });

  route(app, endpoints.dictItemUpdate, async ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: ITEM, subjectName: await s.itemSubject(params.id, body.label.trim()) };
    return s.updateItem(params.id, body);
  });

  batchRoutes(app, { subjectType: ITEM, names: s.itemNames }, [
    [endpoints.dictItemsEnable, '启用', (ids) => s.enableItems(ids)],
    [endpoints.dictItemsDisable, '禁用', (ids) => s.disableItems(ids)],
    [endpoints.dictItemsDelete, '删除', (ids) => s.deleteItems(ids)],
  ]);
}
