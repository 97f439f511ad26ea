import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../../core/db.js';
import { hashPassword } from '../../../core/crypto/sm.js';
import { pinyinInitials } from '../../../core/pinyin.js';
import { accessRepository } from '../access.repository.js';
import { readDivisions, type Division } from '../division-source.js';
import { orgRepository, type OrgRow } from '../org.repository.js';
import { regionRepository } from '../region.repository.js';
import { defaultRegionSort } from '../region.rules.js';
import { userRepository } from '../user.repository.js';

/** The password of every demo account (README, "Demo accounts"). */
export const DEMO_PASSWORD = 'Chongzhou@2026';

const CITY = '510184';
const CITY_DEPARTMENTS: [code: string, name: string][] = [
  ['CZ-GAJ', '崇州市公安局'],
  ['CZ-ZFJ', '崇州市综合行政执法局'],
  ['CZ-STHJ', '成都市崇州生态环境局'],
  ['CZ-ZJJ', '崇州市住房和城乡建设局'],
  ['CZ-JTJ', '崇州市交通运输局'],
  ['CZ-SWJ', '崇州市水务局'],
  ['CZ-YJJ', '崇州市应急管理局'],
  ['CZ-SCJGJ', '崇州市市场监督管理局'],
  ['CZ-WJJ', '崇州市卫生健康局'],
  ['CZ-MZJ', '崇州市民政局'],
  ['CZ-ZRZYJ', '崇州市自然资源局'],
  ['CZ-NYNCJ', '崇州市农业农村局'],
];

interface DemoUser {
  username: string;
  name: string;
  org: string; // org code
  role: string;
}
const DEMO_USERS: DemoUser[] = [
  { username: 'auditor', name: '审计管理员', org: 'CZ-CYZX', role: 'auditor' },
  { username: 'city_op', name: '市城运中心值班员', org: 'CZ-CYZX', role: 'city-operator' },
  { username: 'zfj_handler', name: '综合行政执法局处置员', org: 'CZ-ZFJ', role: 'dept-handler' },
  { username: 'gaj_handler', name: '公安局处置员', org: 'CZ-GAJ', role: 'dept-handler' },
  { username: 'cy_op', name: '崇阳街道城运中心值班员', org: '510184001-CYZX', role: 'town-operator' },
  { username: 'ym_op', name: '羊马街道城运中心值班员', org: '510184002-CYZX', role: 'town-operator' },
  { username: 'iot_op', name: '物联感知运维员', org: 'CZ-CYZX', role: 'iot-operator' },
  { username: 'hs_grid', name: '汇蜀社区网格员', org: '510184001018', role: 'community-worker' },
];

/** "汇蜀社区居民委员会" → "汇蜀社区", "永乐村村民委员会" → "永乐村", "三江村民委员会" → "三江村". */
export const shortCommunityName = (name: string) => {
  const community = name.replace(/居民委员会$|居委会$/, '');
  if (community !== name) return community;
  const village = name.replace(/村民委员会$/, '');
  return village === name || village.endsWith('村') ? village : `${village}村`;
};

/**
 * Chongzhou's regions (from the national table), organisations and a few users at each level, on
 * an empty organisation table only.
 */
export async function seedDemo(db: Db, o: { divisionDir: string; kdfIterations: number; log: FastifyBaseLogger }) {
  if ((await orgRepository(db).count()) > 0) return false;
  const divisions: Division[] = [];
  for await (const d of readDivisions(o.divisionDir, (c) => c === '51' || c === '5101' || c.startsWith(CITY))) divisions.push(d);
  const towns = divisions.filter((d) => d.level === 4);
  if (!towns.length) throw new Error(`no towns of ${CITY} found in ${o.divisionDir}`);

  await db.transaction(async (tx) => {
    await regionRepository(tx).upsertMany(divisions.map((d) => ({ ...d, pinyin: pinyinInitials(d.name), sort: defaultRegionSort(d.code, d.parentCode) })));
    const orgs = orgRepository(tx);
    const byCode = new Map<string, OrgRow>();
    const add = async (parent: OrgRow | null, org: Parameters<typeof orgs.insertUnder>[1]) => {
      const row = await orgs.insertUnder(parent, { ...org, pinyin: pinyinInitials(org.name) });
      byCode.set(row.code, row);
      return row;
    };

    const city = await add(null, { code: CITY, name: '崇州市', level: 'district', type: 'party_gov', regionCode: CITY, sort: 0 });
    await add(city, { code: 'CZ-CYZX', name: '崇州市城市运行管理中心', level: 'department', type: 'institution', tags: ['市级城运中心'], regionCode: CITY, sort: 1 });
    for (const [i, [code, name]] of CITY_DEPARTMENTS.entries()) {
      await add(city, { code, name, level: 'department', type: 'party_gov', regionCode: CITY, sort: 10 + i });
    }
    for (const [i, t] of towns.entries()) {
      const town = await add(city, { code: t.code, name: t.name, level: 'town', type: 'town_gov', regionCode: t.code, sort: 100 + i });
      await add(town, { code: `${t.code}-CYZX`, name: `${t.name}城运中心`, level: 'section', type: 'institution', tags: ['镇街城运中心'], regionCode: t.code, sort: 0 });
      const villages = divisions.filter((d) => d.level === 5 && d.parentCode === t.code);
      for (const [j, v] of villages.entries()) {
        await add(town, { code: v.code, name: shortCommunityName(v.name), level: 'community', type: 'autonomy', regionCode: v.code, sort: 10 + j });
      }
    }

    const users = userRepository(tx);
    const roles = await accessRepository(tx).roleIdsByCode();
    const passwordHash = hashPassword(DEMO_PASSWORD, o.kdfIterations);
    for (const u of DEMO_USERS) {
      const org = byCode.get(u.org);
      if (!org || (await users.exists(u.username))) continue;
      const row = await users.insert({ username: u.username, name: u.name, orgId: org.id, passwordHash, pinyin: pinyinInitials(u.name) });
      await users.grantRoles(row.id, [roles.get(u.role)!]);
    }
  });
  o.log.info({ regions: divisions.length, towns: towns.length }, 'demo data of Chongzhou created');
  return true;
}
