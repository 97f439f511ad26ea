import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
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

  route(app, endpoints.dictTypesEnable, async ({ body, req }) => {
    req.audit = { type: '启用', subjectType: TYPE, subjectName: await s.typeNames(body.ids) };
    return s.enableTypes(body.ids);
  });

  route(app, endpoints.dictTypesDisable, async ({ body, req }) => {
    req.audit = { type: '禁用', subjectType: TYPE, subjectName: await s.typeNames(body.ids) };
    return s.disableTypes(body.ids);
  });

  route(app, endpoints.dictTypesDelete, async ({ body, req }) => {
    req.audit = { type: '删除', subjectType: TYPE, subjectName: await s.typeNames(body.ids) };
    return s.deleteTypes(body.ids);
  });

  route(app, endpoints.dictItems, ({ params }) => s.items(params.id));

  route(app, endpoints.dictItemCreate, async ({ params, body, req }) => {
    req.audit = { type: '新增', subjectType: ITEM, subjectName: `${await s.typeName(params.id)}：${body.label}` };
    return s.createItem(params.id, body);
  });

  route(app, endpoints.dictItemUpdate, async ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: ITEM, subjectName: await s.itemSubject(params.id, body.label.trim()) };
    return s.updateItem(params.id, body);
  });

  route(app, endpoints.dictItemsEnable, async ({ body, req }) => {
    req.audit = { type: '启用', subjectType: ITEM, subjectName: await s.itemNames(body.ids) };
    return s.enableItems(body.ids);
  });

  route(app, endpoints.dictItemsDisable, async ({ body, req }) => {
    req.audit = { type: '禁用', subjectType: ITEM, subjectName: await s.itemNames(body.ids) };
    return s.disableItems(body.ids);
  });

  route(app, endpoints.dictItemsDelete, async ({ body, req }) => {
    req.audit = { type: '删除', subjectType: ITEM, subjectName: await s.itemNames(body.ids) };
    return s.deleteItems(body.ids);
  });
}
