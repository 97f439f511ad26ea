import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { ProductService } from './product.service.js';

const SUBJECT = '物联产品';

/** 产品管理 and thing models (物模型). */
export function productRoutes(app: FastifyInstance, d: { products: ProductService }) {
  route(app, endpoints.iotProducts, ({ query }) => d.products.list(query));
  route(app, endpoints.iotProductOptions, () => d.products.options());
  route(app, endpoints.iotProduct, ({ params }) => d.products.get(params.id));

  route(app, endpoints.iotCreateProduct, ({ body, req }) => {
    req.audit = { type: '新增', subjectType: SUBJECT, subjectName: body.name };
    return d.products.create(body);
  });
  route(app, endpoints.iotUpdateProduct, ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: body.name };
    return d.products.update(params.id, body);
  });
  route(app, endpoints.iotDeleteProduct, async ({ params, req }) => {
    req.audit = { type: '删除', subjectType: SUBJECT, subjectName: params.id };
    const row = await d.products.remove(params.id);
    req.audit = { ...req.audit, subjectName: row.name };
    return { ok: true as const };
  });

  route(app, endpoints.iotThingModel, ({ params }) => d.products.thingModel(params.id));
  route(app, endpoints.iotSaveThingModel, async ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: '物模型', subjectName: params.id, content: `属性 ${body.properties.length} 个，事件 ${body.events.length} 个，服务 ${body.services.length} 个` };
    return d.products.saveThingModel(params.id, body);
  });

  route(app, endpoints.iotExportProduct, async ({ params, reply }) => {
    const file = await d.products.exportFile(params.id);
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="product.json"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
      .send(JSON.stringify(file.content, null, 2));
  });
  route(app, endpoints.iotImportProduct, ({ body, req }) => {
    req.audit = {
      type: '导入', subjectType: '物模型', subjectName: body.productId ?? body.name ?? body.content.product?.name ?? '',
      content: `属性 ${body.content.thingModel.properties.length} 个，事件 ${body.content.thingModel.events.length} 个，服务 ${body.content.thingModel.services.length} 个`,
    };
    return d.products.importFile(body);
  });

  route(app, endpoints.iotRevealProductSecret, async ({ params, req }) => {
    const { secret, name } = await d.products.revealSecret(params.id);
    req.audit = { type: '查看密钥', subjectType: SUBJECT, subjectName: name };
    return { secret };
  });
  route(app, endpoints.iotResetProductSecret, async ({ params, req }) => {
    const { secret, name } = await d.products.resetSecret(params.id);
    req.audit = { type: '重置密钥', subjectType: SUBJECT, subjectName: name };
    return { secret };
  });
}
