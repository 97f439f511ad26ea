import { describe, expect, it } from 'vitest';
import { defaultRegionSort, parseGridCsv, regionCodeProblem } from './region.rules.js';

describe('region code rules', () => {
  it('accepts national codes that extend their parent by the right number of digits', () => {
    expect(regionCodeProblem('51', 1, null)).toBeNull();
    expect(regionCodeProblem('5101', 2, '51')).toBeNull();
    expect(regionCodeProblem('510184', 3, '5101')).toBeNull();
    expect(regionCodeProblem('510184001', 4, '510184')).toBeNull();
    expect(regionCodeProblem('510184001018', 5, '510184001')).toBeNull();
    expect(regionCodeProblem('510184001018001', 6, '510184001018')).toBeNull();
  });

  it('says what is wrong, in Chinese', () => {
    expect(regionCodeProblem('51a', 1, null)).toBe('区划代码只能包含数字');
    expect(regionCodeProblem('5101', 2, null)).toBe('地市级区划须有上级区划');
    expect(regionCodeProblem('520101', 3, '5101')).toBe('区划代码须以上级区划代码 5101 开头');
    expect(regionCodeProblem('51018401', 4, '510184')).toBe('镇（街道）级区划代码应为 9 位数字（上级代码 6 位 + 3 位），当前为 8 位');
    expect(regionCodeProblem('510184001018000', 6, '510184001018')).toBe('区划代码的后 3 位不能全为 0');
    expect(regionCodeProblem('00', 1, null)).toBe('省级区划代码不能为 00');
    expect(regionCodeProblem('', 1, null)).toBe('区划代码不能为空');
  });

  it('orders siblings by the number their code adds to the parent', () => {
    expect(defaultRegionSort('51', null)).toBe(51);
    expect(defaultRegionSort('510184110', '510184')).toBe(110);
    expect(defaultRegionSort('510184001018001', '510184001018')).toBe(1);
  });
});

describe('grid CSV', () => {
  it('reads the template header or Chinese headers, keeps line numbers, skips blank lines', () => {
    const { rows, headerError } = parseGridCsv('\uFEFFcode,name,parentCode\r\n510184001018001,"第一网格, 东",510184001018\r\n\r\n510184001018002,第二网格,510184001018');
    expect(headerError).toBeUndefined();
    expect(rows).toEqual([
      { row: 2, code: '510184001018001', name: '第一网格, 东', parentCode: '510184001018' },
      { row: 4, code: '510184001018002', name: '第二网格', parentCode: '510184001018' },
    ]);
    expect(parseGridCsv('所属村社代码,网格名称,网格代码\n510184001018,第一网格,510184001018001').rows).toEqual([
      { row: 2, code: '510184001018001', name: '第一网格', parentCode: '510184001018' },
    ]);
  });

  it('refuses a file without the expected header', () => {
    expect(parseGridCsv('').headerError).toBe('文件内容为空');
    expect(parseGridCsv('\n\ncode,name\n1,2').headerError).toBe('第 3 行表头应为 code,name,parentCode（网格代码,网格名称,所属村社代码）');
  });
});
