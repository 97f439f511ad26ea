import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { RegionBoundaryService } from './region-boundary.service.js';

/**
 * The outline and region-choice routes; with `demoGeoDir` (GEO_DATA_DIR while demo data is on) the
 * platform area's outline is imported from the reference data before the server answers.
 */
export function regionBoundaryRoutes(app: FastifyInstance, d: { boundaries: RegionBoundaryService; demoGeoDir?: string }) {
  route(app, endpoints.regionOptions, ({ query }) => d.boundaries.options(query.parentCode));
  route(app, endpoints.regionArea, ({ user }) => d.boundaries.area(user));
  route(app, endpoints.regionBoundary, ({ params }) => d.boundaries.get(params.code));
  route(app, endpoints.regionBoundaryImport, async ({ params, query, body, user, req }) => {
    const file = query.fileName ? `文件 ${query.fileName}` : '';
    // The outline itself is not copied into the operation log: the file name and its size say enough.
    req.audit = { type: '导入', subjectType: '行政区划边界', subjectName: params.code, content: file };
    const result = await d.boundaries.import(user, params.code, body, query.fileName ?? '');
    req.audit = {
      type: '导入', subjectType: '行政区划边界', subjectName: `${result.regionName}（${result.regionCode}）`,
      content: `${file ? `${file}，` : ''}${result.featureCount} 个要素，${result.vertexCount} 个点`,
    };
    return result;
  });

  const dir = d.demoGeoDir;
  if (dir) app.addHook('onReady', async () => void (await d.boundaries.seedDemoOutline(dir, app.log)));
}
