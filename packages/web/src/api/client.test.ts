import { describe, expect, it } from 'vitest';
import { ApiError } from './client';

describe('ApiError field issues', () => {
  it('reads both the validation list and a service\'s { fields } map, so either lands on the form\'s fields', () => {
    const listed = new ApiError({ status: 400, code: 'INVALID', message: '请求参数有误', details: [{ path: 'name', message: '请填写设备名称' }] });
    expect(listed.fieldIssues).toEqual([{ path: 'name', message: '请填写设备名称' }]);
    const mapped = new ApiError({ status: 400, code: 'INVALID', message: '请选择责任单位', details: { fields: { orgId: '请选择责任单位' } } });
    expect(mapped.fieldIssues).toEqual([{ path: 'orgId', message: '请选择责任单位' }]);
    expect(new ApiError({ status: 403, code: 'FORBIDDEN', message: '没有权限' }).fieldIssues).toEqual([]);
  });
});
