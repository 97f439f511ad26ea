import type { FastifyInstance } from 'fastify';
import { endpoints, REGION_IMPORT_DEPTH_NAMES } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { RegionService } from './region.service.js';

const SUBJECT = '行政区划';
/** Codes of a batch for the operation log, shortened. */
const codesOf = (ids: string[]) => (ids.length > 10 ? `${ids.slice(0, 10).join('、')} 等 ${ids.length} 个` : ids.join('、'));

export function regionRoutes(app: FastifyInstance, d: { regions: RegionService }) {
  route(app, endpoints.regionChildren, ({ query }) => d.regions.children(query.parentCode));
  route(app, endpoints.regionSearch, ({ query }) =>
    d.regions.search({ keyword: query.keyword || undefined, level: query.level, enabled: query.enabled }, query.page, query.pageSize),
  );
  route(app, endpoints.regionGet, ({ params }) => d.regions.get(params.code));

  route(app, endpoints.regionCreate, ({ body, req }) => {
    req.audit = { type: '新增', subjectType: SUBJECT, subjectName: `${body.name}（${body.code}）` };
    return d.regions.create(body);
  });
  route(app, endpoints.regionUpdate, ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: `${body.name}（${params.code}）` };
    return d.regions.update(params.code, body);
  });
  route(app, endpoints.regionEnable, ({ body, req }) => {
    req.audit = { type: '启用', subjectType: SUBJECT, subjectName: codesOf(body.ids) };
    return d.regions.setEnabled(body.ids, true);
  });
  route(app, endpoints.regionDisable, ({ body, req }) => {
    req.audit = { type: '禁用', subjectType: SUBJECT, subjectName: codesOf(body.ids) };
    return d.regions.setEnabled(body.ids, false);
  });
  route(app, endpoints.regionDelete, ({ body, req }) => {
    req.audit = { type: '删除', subjectType: SUBJECT, subjectName: codesOf(body.ids) };
    return d.regions.remove(body.ids);
  });

  route(app, endpoints.regionImport, ({ body, user, req }) => {
    req.audit = { type: '导入', subjectType: SUBJECT, subjectName: `全国行政区划（${REGION_IMPORT_DEPTH_NAMES[body.depth]}）` };
    return d.regions.startImport(body, user.id);
  });
  route(app, endpoints.regionImportJob, ({ params }) => d.regions.importJob(params.id));
  route(app, endpoints.regionGridImport, ({ body, req }) => {
    req.audit = { type: '导入', subjectType: SUBJECT, subjectName: '网格', content: `CSV 文件 ${body.csv.split('\n').filter((l) => l.trim()).length} 行（含表头）` };
    return d.regions.importGrids(body.csv);
  });
}
