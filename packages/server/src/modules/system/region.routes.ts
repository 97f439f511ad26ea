import type { FastifyInstance } from 'fastify';
import { endpoints, REGION_IMPORT_DEPTH_NAMES } from '@cityops/contracts';
import { batchRoutes, route } from '../../core/http.js';
import { listNames } from '../../core/text.js';
import type { RegionService } from './region.service.js';

const SUBJECT = '行政区划';

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
  batchRoutes(app, { subjectType: SUBJECT, names: (ids) => listNames(ids, 10, '个') }, [
    [endpoints.regionEnable, '启用', (ids) => d.regions.setEnabled(ids, true)],
    [endpoints.regionDisable, '禁用', (ids) => d.regions.setEnabled(ids, false)],
    [endpoints.regionDelete, '删除', (ids) => d.regions.remove(ids)],
  ]);

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
