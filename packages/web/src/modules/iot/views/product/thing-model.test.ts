import { describe, expect, it } from 'vitest';
import { ThingModel, validateProperties, type DataType } from '@cityops/contracts';
import { ago, seconds } from '../../components/labels';
import { valueText } from '../device/values';
import { cleanDataType, cleanModel, dataTypeProblem, describeDataType, identifierProblem, newDataType, newProperty } from './thing-model';

describe('the thing-model editor helpers', () => {
  it('keeps only the specs of the chosen type, so a switched type saves clean', () => {
    // The user typed a range on an int, then made it text: the range must not be saved.
    const t: DataType = { type: 'text', specs: { min: 0, max: 10, unit: '℃', length: 64 } };
    expect(cleanDataType(t)).toEqual({ type: 'text', specs: { length: 64 } });
    // Cleared number inputs arrive as null and are dropped.
    expect(cleanDataType({ type: 'float', specs: { min: null as unknown as number, max: 10, step: 0.1, unit: 'MPa', unitName: '' } })).toEqual({
      type: 'float',
      specs: { max: 10, step: 0.1, unit: 'MPa' },
    });
    expect(cleanDataType({ type: 'date', specs: { length: 3 } })).toEqual({ type: 'date' });
    expect(cleanDataType({ type: 'array', specs: { length: 5, item: { type: 'int', specs: { min: 1, enum: { a: 'b' } } } } })).toEqual({
      type: 'array',
      specs: { length: 5, item: { type: 'int', specs: { min: 1 } } },
    });
  });

  it('names what is wrong with a data type in Chinese', () => {
    expect(dataTypeProblem({ type: 'int', specs: { min: 5, max: 1 } })).toBe('最小值不能大于最大值');
    expect(dataTypeProblem({ type: 'int', specs: { step: 0.5 } })).toBe('整数类型的取值范围和步长须为整数');
    expect(dataTypeProblem(newDataType('enum'))).toBe('请至少添加一个枚举项');
    expect(dataTypeProblem({ type: 'enum', specs: { enum: { '1': '正常', '2': ' ' } } })).toBe('请填写每个枚举值的描述');
    expect(dataTypeProblem({ type: 'bool', specs: { enum: { '0': '关' } } })).toBe('请填写 0 和 1 各自的含义');
    expect(dataTypeProblem(newDataType('struct'))).toBe('结构体至少需要一个字段');
    expect(dataTypeProblem({ type: 'array', specs: { item: { type: 'int', specs: { min: 3, max: 1 } } } })).toBe('数组元素：最小值不能大于最大值');
    expect(dataTypeProblem(newDataType('bool'))).toBeUndefined();
    expect(dataTypeProblem({ type: 'float', specs: { min: 0, max: 10, step: 0.01 } })).toBeUndefined();
  });

  it('checks identifiers as the server does, and refuses one already used', () => {
    expect(identifierProblem('', [])).toBe('请填写标识符');
    expect(identifierProblem('9abc', [])).toContain('须以字母或下划线开头');
    expect(identifierProblem('温度', [])).toContain('只含字母、数字、下划线');
    expect(identifierProblem('temperature', ['temperature'])).toBe('标识符「temperature」已被使用');
    expect(identifierProblem(' battery ', ['temperature'])).toBeUndefined();
  });

  it('describes a data type in one line', () => {
    expect(describeDataType({ type: 'float', specs: { min: 0, max: 10, step: 0.01, unit: 'dB/m', unitName: '分贝每米' } })).toBe('取值 0 ~ 10，步长 0.01，单位 分贝每米(dB/m)');
    expect(describeDataType({ type: 'int', specs: { min: 0 } })).toBe('取值 ≥ 0');
    expect(describeDataType({ type: 'double' })).toBe('取值 不限');
    expect(describeDataType({ type: 'enum', specs: { enum: { '0': '关阀', '1': '开阀' } } })).toBe('0 - 关阀；1 - 开阀');
    expect(describeDataType({ type: 'text', specs: { length: 255 } })).toBe('长度 ≤ 255');
    expect(describeDataType({ type: 'struct', specs: { fields: [{ identifier: 'lng', name: '经度', dataType: { type: 'double' } }] } })).toBe('1 个字段：经度');
    expect(describeDataType({ type: 'array', specs: { length: 10, item: { type: 'int' } } })).toBe('元素 整数，最多 10 个');
  });

  it('cleans a whole model into one the contracts accept and the validator applies', () => {
    const model = cleanModel({
      properties: [
        { ...newProperty(), identifier: ' smoke_density ', name: ' 烟雾浓度 ', dataType: { type: 'float', specs: { min: 0, max: 10, length: 3 } } },
        { ...newProperty(), identifier: 'valve', name: '阀门', accessMode: 'rw', dataType: { type: 'enum', specs: { enum: { '0': '关', '1': '开' }, min: 1 } } },
      ],
      events: [{ identifier: 'fire_alarm', name: '火警', type: 'alert', outputData: [{ identifier: 'level', name: '等级', dataType: { type: 'int', specs: { unit: '' } } }], description: ' ' }],
      services: [],
    });
    expect(ThingModel.safeParse(model).success).toBe(true);
    expect(model.properties[0]).toMatchObject({ identifier: 'smoke_density', name: '烟雾浓度', dataType: { type: 'float', specs: { min: 0, max: 10 } } });
    expect(model.events[0]!.outputData[0]!.dataType).toEqual({ type: 'int', specs: {} });
    expect(validateProperties(model, { smoke_density: 11 }).problems).toEqual([{ path: 'smoke_density', message: '不能大于 10' }]);
    expect(validateProperties(model, { valve: 1 }, { writableOnly: true }).ok).toBe(true);
  });
});

describe('how values and times read', () => {
  it('shows enum labels, rounded numbers and JSON', () => {
    const base = { identifier: 'x', name: 'x', unit: null, accessMode: 'r' as const, ts: '2026-01-01T00:00:00Z' };
    expect(valueText({ ...base, type: 'enum', labels: { '0': '关', '1': '开' }, value: 1 })).toBe('开');
    expect(valueText({ ...base, type: 'bool', labels: { '0': '正常', '1': '告警' }, value: true })).toBe('告警');
    expect(valueText({ ...base, type: 'float', labels: null, value: 0.123456789 })).toBe('0.1235');
    expect(valueText({ ...base, type: 'struct', labels: null, value: { a: 1 } })).toBe('{"a":1}');
    expect(valueText({ ...base, type: 'int', labels: null, value: null, ts: null })).toBe('—');
  });

  it('says how long ago and how long', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(ago(null, now)).toBe('从未');
    expect(ago('2026-01-01T11:59:30Z', now)).toBe('刚刚');
    expect(ago('2026-01-01T11:57:00Z', now)).toBe('3 分钟前');
    expect(ago('2026-01-01T09:00:00Z', now)).toBe('3 小时前');
    expect(ago('2025-12-30T12:00:00Z', now)).toBe('2 天前');
    expect(seconds(600)).toBe('10 分钟');
    expect(seconds(5400)).toBe('1 小时 30 分钟');
    expect(seconds(7200)).toBe('2 小时');
    expect(seconds(86_400)).toBe('1 天');
    expect(seconds(45)).toBe('45 秒');
  });
});
