import { DICT } from '@cityops/contracts';
import type { Db } from '../../../core/db.js';
import { dictRepository } from '../dict.repository.js';

/** The dictionaries the platform relies on; seeded when absent, edited in 字典管理. */
export const BUILTIN_DICTS: { code: string; name: string; items: { value: string; label: string; tagType?: string }[] }[] = [
  { code: DICT.gender, name: '性别', items: [{ value: 'male', label: '男' }, { value: 'female', label: '女' }] },
  {
    code: DICT.idType, name: '证件类别',
    items: [
      { value: '01', label: '居民身份证' }, { value: '02', label: '军官证' }, { value: '03', label: '护照' },
      { value: '04', label: '港澳居民来往内地通行证' }, { value: '05', label: '台湾居民来往大陆通行证' }, { value: '99', label: '其他' },
    ],
  },
  {
    code: DICT.orgType, name: '组织类型',
    items: [
      { value: 'party_gov', label: '党政机关' }, { value: 'institution', label: '事业单位' }, { value: 'town_gov', label: '镇街' },
      { value: 'autonomy', label: '村（居）委会' }, { value: 'grid', label: '网格' }, { value: 'enterprise', label: '企业' },
      { value: 'social', label: '社会组织' },
    ],
  },
  {
    code: DICT.orgLevel, name: '组织层级',
    items: [
      { value: 'district', label: '区县（县级市）', tagType: 'danger' }, { value: 'department', label: '部门', tagType: 'warning' },
      { value: 'town', label: '镇（街道）', tagType: 'primary' }, { value: 'section', label: '部门科室', tagType: 'info' },
      { value: 'community', label: '村（社区）', tagType: 'success' }, { value: 'grid', label: '网格', tagType: 'info' },
    ],
  },
  {
    code: DICT.orgTag, name: '组织标签',
    items: [{ value: '市级城运中心', label: '市级城运中心', tagType: 'danger' }, { value: '镇街城运中心', label: '镇街城运中心', tagType: 'warning' }],
  },
  {
    code: DICT.regionLevel, name: '区划层级',
    items: [
      { value: '1', label: '省' }, { value: '2', label: '地市州' }, { value: '3', label: '区县' },
      { value: '4', label: '镇（街道）' }, { value: '5', label: '村（社区）' }, { value: '6', label: '网格' },
    ],
  },
];

export async function seedDicts(db: Db) {
  const repo = dictRepository(db);
  for (const [i, d] of BUILTIN_DICTS.entries()) await repo.ensure({ code: d.code, name: d.name, sort: (i + 1) * 10 }, d.items);
}
