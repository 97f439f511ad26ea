import { describe, expect, it } from 'vitest';
import { describeProblems, ThingModel, validateEvent, validateProperties, validateServiceInput } from './thing-model.js';

const model = ThingModel.parse({
  properties: [
    { identifier: 'level', name: '水位', dataType: { type: 'float', specs: { min: 0, max: 10, unit: 'm' } } },
    { identifier: 'count', name: '次数', dataType: { type: 'int', specs: { min: 0 } } },
    { identifier: 'open', name: '开启', dataType: { type: 'bool' }, accessMode: 'rw' },
    { identifier: 'mode', name: '模式', dataType: { type: 'enum', specs: { enum: { 0: '自动', 1: '手动' } } }, accessMode: 'rw' },
    { identifier: 'label', name: '标签', dataType: { type: 'text', specs: { length: 4 } } },
    { identifier: 'at', name: '时间', dataType: { type: 'date' } },
    { identifier: 'samples', name: '采样', dataType: { type: 'array', specs: { length: 3, item: { type: 'int' } } } },
    {
      identifier: 'gps', name: '位置',
      dataType: { type: 'struct', specs: { fields: [{ identifier: 'lng', name: '经度', dataType: { type: 'double', specs: { min: -180, max: 180 } } }, { identifier: 'lat', name: '纬度', dataType: { type: 'double' } }] } },
    },
  ],
  events: [{ identifier: 'alarm', name: '告警', type: 'alert', outputData: [{ identifier: 'level', name: '水位', dataType: { type: 'float', specs: { max: 10 } } }] }],
  services: [{ identifier: 'reset', name: '复位', inputData: [{ identifier: 'delay', name: '延时', dataType: { type: 'int', specs: { min: 0, max: 60 } } }] }],
});

describe('thing model', () => {
  it('fills in defaults and refuses duplicate identifiers and bad ones', () => {
    expect(model.properties[0]).toMatchObject({ accessMode: 'r', required: false, description: '' });
    expect(model.services[0]).toMatchObject({ callType: 'async', outputData: [] });
    const dup = ThingModel.safeParse({ properties: [model.properties[0], model.properties[0]] });
    expect(dup.success).toBe(false);
    expect(dup.error?.issues[0]?.message).toBe('属性标识符重复');
    expect(ThingModel.safeParse({ properties: [{ ...model.properties[0], identifier: '1abc' }] }).success).toBe(false);
    expect(ThingModel.safeParse({ properties: [{ ...model.properties[0], dataType: { type: 'float', specs: { min: 5, max: 1 } } }] }).success).toBe(false);
  });

  it('accepts and normalises values of every type', () => {
    const r = validateProperties(model, {
      level: '2.5', count: 3, open: 'true', mode: '1', label: 'abcd', at: 1_700_000_000_000, samples: [1, 2], gps: { lng: 103.6, lat: 30.6 },
    });
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({ level: 2.5, count: 3, open: 1, mode: 1, label: 'abcd', at: 1_700_000_000_000, samples: [1, 2], gps: { lng: 103.6, lat: 30.6 } });
  });

  it('refuses out-of-range, wrongly typed and unknown values with Chinese reasons', () => {
    const r = validateProperties(model, {
      level: 11, count: 1.5, open: 'maybe', mode: 3, label: 'abcde', at: -1, samples: [1, 2, 3, 4], gps: { lng: 200, alt: 1 }, levl: 1,
    });
    expect(r.ok).toBe(false);
    expect(describeProblems(r.problems)).toBe(
      [
        'level：不能大于 10m', 'count：应为整数', 'open：应为 0 或 1', 'mode：应为枚举值之一：0、1', 'label：长度不能超过 4', 'at：应为毫秒时间戳',
        'samples：元素不能超过 3 个', 'gps.lng：不能大于 180', 'gps.alt：物模型中没有此标识符', 'levl：物模型中没有此标识符',
      ].join('；'),
    );
    expect(validateProperties(model, {}).problems).toEqual([{ path: 'params', message: '应为至少含一个属性的对象' }]);
    expect(validateProperties(model, [1]).ok).toBe(false);
  });

  it('lets the platform set only writable properties', () => {
    expect(validateProperties(model, { open: 0 }, { writableOnly: true }).ok).toBe(true);
    expect(validateProperties(model, { level: 1 }, { writableOnly: true }).problems).toEqual([{ path: 'level', message: '该属性只读，不能设置' }]);
  });

  it('checks events and service calls against their parameters', () => {
    expect(validateEvent(model, 'alarm', { level: 9 })).toMatchObject({ ok: true, value: { level: 9 }, event: { name: '告警' } });
    expect(validateEvent(model, 'alarm', { level: 12 }).ok).toBe(false);
    expect(validateEvent(model, 'fire', {}).problems).toEqual([{ path: 'fire', message: '物模型中没有此事件' }]);
    expect(validateServiceInput(model, 'reset', { delay: 5 }).ok).toBe(true);
    expect(validateServiceInput(model, 'reset', {}).problems).toEqual([{ path: 'delay', message: '缺少必填参数' }]);
    expect(validateServiceInput(model, 'reboot', {}).problems[0]?.message).toBe('物模型中没有此服务');
  });
});
