import type { EventCategory, FormField, LimitUnit } from '../config.table.js';
import type { EventTypeInsert } from '../event-type.repository.js';

/**
 * The starting event catalogue (事件清单) of 崇州市: 大类 by the industry of the city departments
 * (tender 2.1.3.2), 小类 by managed matter, 子类 by the concrete situation. Each entry names its
 * 事件类型 (普通/联动/应急/重大突发), 处置时限, 处置力量 (the units that act), 检查督办 (the industry
 * authority that supervises) and 结案标准. Seeded once per code: administrators then edit time
 * limits and switch types on or off, and their edits are kept. Codes are stable: events refer to them.
 *
 * A child takes its parent's category, limit and supervisor unless it sets its own.
 */
interface TypeSeed {
  code: string;
  name: string;
  category?: EventCategory;
  limit?: [number, LimitUnit];
  force?: string;
  supervisor?: string;
  close?: string;
  form?: FormField[];
  children?: TypeSeed[];
}

const NORMAL: Pick<TypeSeed, 'category' | 'limit'> = { category: 'normal', limit: [3, 'workday'] };
const LINKAGE: Pick<TypeSeed, 'category' | 'limit'> = { category: 'linkage', limit: [5, 'workday'] };
const EMERGENCY_WORKHOURS: Pick<TypeSeed, 'category' | 'limit'> = { category: 'emergency', limit: [4, 'workhour'] };
/** Emergencies that do not wait for office hours: natural hours. */
const EMERGENCY: Pick<TypeSeed, 'category' | 'limit'> = { category: 'emergency', limit: [4, 'hour'] };
const MAJOR: Pick<TypeSeed, 'category' | 'limit'> = { category: 'major', limit: [2, 'hour'] };

const yesNo = (key: string, label: string, required = true): FormField => ({ key, label, type: 'boolean', required });

export const EVENT_TYPE_TREE: TypeSeed[] = [
  {
    code: 'urban', name: '城市管理', ...NORMAL, supervisor: '市综合行政执法局（市城市管理局）',
    children: [
      {
        code: 'urban.appearance', name: '市容环境',
        children: [
          {
            code: 'urban.appearance.street-vending', name: '占道经营',
            force: '市综合行政执法局、属地镇（街道）综合执法队', close: '经营者已劝离或依法查处，占用的道路恢复通行，附处置前后照片',
            form: [
              { key: 'businessType', label: '经营类型', type: 'select', required: true, options: ['流动摊贩', '店外经营', '夜市摊点', '其他'] },
              yesNo('blocksTraffic', '是否影响通行'),
            ],
          },
          {
            code: 'urban.appearance.clutter', name: '乱堆乱放',
            force: '属地镇（街道）、村（社区）', close: '堆放物已清理，现场整洁，附处置前后照片',
          },
          {
            code: 'urban.appearance.exposed-garbage', name: '暴露垃圾', limit: [1, 'workday'],
            force: '市环卫服务中心、属地镇（街道）', close: '垃圾已清运，现场无残留，附处置前后照片',
          },
          {
            code: 'urban.appearance.illegal-ad', name: '违规广告招牌',
            force: '市综合行政执法局', close: '违规广告、招牌已拆除或整改到位',
          },
        ],
      },
      {
        code: 'urban.facility', name: '市政设施',
        children: [
          {
            code: 'urban.facility.manhole', name: '井盖缺失', ...EMERGENCY,
            force: '权属单位（市政、排水、电力、通信、燃气、供水）、属地镇（街道）', close: '井盖已补齐或更换，周边设置的警示已撤除，附处置后照片',
            form: [
              { key: 'coverType', label: '井盖类型', type: 'select', required: true, options: ['雨水', '污水', '供水', '燃气', '电力', '通信', '不明'] },
              yesNo('warningSet', '是否已设置警示'),
            ],
          },
          {
            code: 'urban.facility.streetlight', name: '路灯损坏',
            force: '市路灯管理所', close: '路灯已修复并正常亮灯',
          },
          {
            code: 'urban.facility.road-damage', name: '道路破损', limit: [5, 'workday'],
            force: '市住房和城乡建设局（市政道路养护）、市交通运输局（农村公路）', close: '破损路面已修复，通行正常',
          },
        ],
      },
      {
        code: 'urban.greening', name: '园林绿化',
        children: [
          { code: 'urban.greening.damage', name: '绿地毁损', force: '市公园城市建设中心、属地镇（街道）', close: '绿地已补植恢复' },
          {
            code: 'urban.greening.fallen-tree', name: '树木倒伏', ...EMERGENCY_WORKHOURS,
            force: '市公园城市建设中心、属地镇（街道）', close: '倒伏树木已清理或扶正加固，道路恢复通行',
          },
        ],
      },
    ],
  },
  {
    code: 'housing', name: '住房建设', ...NORMAL, supervisor: '市住房和城乡建设局',
    children: [
      {
        code: 'housing.construction', name: '建筑施工',
        children: [
          {
            code: 'housing.construction.night-noise', name: '夜间施工噪声', limit: [1, 'workday'],
            force: '市住房和城乡建设局、市综合行政执法局', close: '夜间施工已停止或已办理夜间施工许可并公示',
            form: [{ key: 'siteName', label: '工地名称', type: 'text', maxLength: 50 }],
          },
          { code: 'housing.construction.dust', name: '工地扬尘', force: '市住房和城乡建设局', close: '已落实覆盖、洒水、冲洗等防尘措施' },
          {
            code: 'housing.construction.illegal-building', name: '违法建设', ...LINKAGE,
            force: '属地镇（街道）、市综合行政执法局、市规划和自然资源局', close: '违法建设已停工并依法拆除或完善手续',
          },
        ],
      },
      {
        code: 'housing.property', name: '物业管理',
        children: [
          { code: 'housing.property.service', name: '物业服务纠纷', limit: [5, 'workday'], force: '属地镇（街道）、物业服务企业', close: '纠纷已调处，当事人知晓处理结果' },
          { code: 'housing.property.facility', name: '小区公共设施损坏', force: '物业服务企业、属地村（社区）', close: '公共设施已修复' },
        ],
      },
      {
        code: 'housing.safety', name: '房屋安全',
        children: [
          { code: 'housing.safety.dangerous', name: '危房隐患', ...LINKAGE, force: '市住房和城乡建设局、属地镇（街道）', close: '已完成安全鉴定，人员已撤离或已加固' },
          {
            code: 'housing.safety.facade', name: '外墙脱落', ...EMERGENCY_WORKHOURS,
            force: '产权单位或物业服务企业、属地镇（街道）', close: '脱落隐患已排除，警戒已撤除',
          },
        ],
      },
    ],
  },
  {
    code: 'eco', name: '生态环境', ...NORMAL, supervisor: '成都市崇州生态环境局',
    children: [
      {
        code: 'eco.air', name: '大气污染',
        children: [
          { code: 'eco.air.open-burning', name: '露天焚烧', limit: [4, 'workhour'], force: '属地镇（街道）、市综合行政执法局', close: '明火已扑灭，焚烧物已清理' },
          { code: 'eco.air.cooking-fume', name: '餐饮油烟', force: '市综合行政执法局', close: '已安装或维修油烟净化设施并正常使用' },
          { code: 'eco.air.industrial', name: '工业废气', ...LINKAGE, force: '成都市崇州生态环境局、属地镇（街道）', close: '排放已达标或已责令停产整改' },
        ],
      },
      {
        code: 'eco.water', name: '水污染',
        children: [
          {
            code: 'eco.water.river', name: '河道污染', ...LINKAGE,
            force: '市水务局、成都市崇州生态环境局、属地镇（街道）河长办', close: '污染源已查明并切断，水体恢复正常',
          },
          { code: 'eco.water.sewage', name: '污水直排', force: '市水务局、市综合行政执法局', close: '直排口已封堵或接入市政管网' },
        ],
      },
    ],
  },
  {
    code: 'market', name: '市场监管', ...NORMAL, supervisor: '市市场监督管理局',
    children: [
      {
        code: 'market.food', name: '食品安全',
        children: [
          { code: 'market.food.unlicensed', name: '无证经营食品', force: '市市场监督管理局、属地市场监管所', close: '已依法查处，经营者已取证或停止经营' },
          { code: 'market.food.expired', name: '销售过期食品', force: '属地市场监管所', close: '过期食品已下架封存并依法处理' },
        ],
      },
      {
        code: 'market.equipment', name: '特种设备',
        children: [
          {
            code: 'market.equipment.elevator-trapped', name: '电梯困人', category: 'emergency', limit: [1, 'hour'],
            force: '电梯维保单位、消防救援大队', supervisor: '市市场监督管理局（特种设备安全监察）', close: '被困人员已安全解救，电梯已停用待检或恢复运行',
            form: [{ key: 'trappedCount', label: '被困人数', type: 'number', required: true }],
          },
          { code: 'market.equipment.gas-cylinder', name: '气瓶违规充装使用', ...LINKAGE, force: '市市场监督管理局、市应急管理局', close: '违规气瓶已收缴，经营者已依法查处' },
        ],
      },
      {
        code: 'market.trade', name: '价格与计量',
        children: [
          { code: 'market.trade.price', name: '价格欺诈', limit: [5, 'workday'], force: '市市场监督管理局', close: '已调查核实并依法处理，投诉人知晓结果' },
          { code: 'market.trade.short-weight', name: '短斤少两', force: '属地市场监管所', close: '计量器具已检定，违法行为已查处' },
        ],
      },
    ],
  },
  {
    code: 'traffic', name: '道路交通', ...NORMAL, supervisor: '市交通运输局',
    children: [
      {
        code: 'traffic.order', name: '交通秩序',
        children: [
          { code: 'traffic.order.illegal-parking', name: '违停占道', limit: [4, 'workhour'], force: '市公安局交通警察大队', supervisor: '市公安局', close: '违停车辆已驶离或依法处理' },
          {
            code: 'traffic.order.signal', name: '交通信号灯故障', ...EMERGENCY_WORKHOURS,
            force: '市公安局交通警察大队（设施维护）', supervisor: '市公安局', close: '信号灯已恢复正常，故障期间已安排人员疏导',
          },
        ],
      },
      {
        code: 'traffic.transport', name: '运输管理',
        children: [
          { code: 'traffic.transport.illegal-taxi', name: '非法营运', ...LINKAGE, force: '市交通运输局、市公安局交通警察大队', close: '非法营运车辆已依法查处' },
          { code: 'traffic.transport.bus-stop', name: '公交站台损坏', force: '市公交公司', close: '站台设施已修复' },
        ],
      },
    ],
  },
  {
    code: 'health', name: '公共卫生', ...NORMAL, supervisor: '市卫生健康局',
    children: [
      {
        code: 'health.disease', name: '疾病防控',
        children: [
          {
            code: 'health.disease.outbreak', name: '聚集性传染病疫情', ...MAJOR,
            force: '市疾病预防控制中心、市卫生健康局、属地镇（街道）', close: '已完成流行病学调查和处置，疫情得到控制',
            form: [{ key: 'caseCount', label: '病例数', type: 'number', required: true }],
          },
          { code: 'health.disease.vector', name: '病媒生物滋生', force: '市爱国卫生运动服务中心、属地镇（街道）', close: '已完成消杀，滋生地已清理' },
        ],
      },
      {
        code: 'health.practice', name: '医疗卫生监督',
        children: [
          { code: 'health.practice.unlicensed', name: '非法行医', ...LINKAGE, force: '市卫生健康局（卫生监督）、市公安局', close: '已依法取缔并查处' },
          { code: 'health.practice.public-place', name: '公共场所卫生', force: '市卫生健康局（卫生监督）', close: '卫生状况已整改合格' },
        ],
      },
    ],
  },
  {
    code: 'security', name: '安全维稳', ...NORMAL, supervisor: '市委政法委',
    children: [
      {
        code: 'security.dispute', name: '矛盾纠纷',
        children: [
          { code: 'security.dispute.neighbour', name: '邻里纠纷', limit: [5, 'workday'], force: '属地村（社区）人民调解委员会、属地派出所', close: '纠纷已调解，达成调解协议或已引导司法途径' },
          { code: 'security.dispute.wages', name: '拖欠农民工工资', ...LINKAGE, force: '市人力资源和社会保障局、市住房和城乡建设局', close: '工资已支付或已立案处理' },
        ],
      },
      {
        code: 'security.stability', name: '社会稳定',
        children: [
          {
            code: 'security.stability.gathering', name: '群体性聚集', ...EMERGENCY,
            force: '属地镇（街道）、市公安局、市信访局', close: '聚集人员已疏散，诉求已登记并交办',
            form: [{ key: 'peopleCount', label: '聚集人数', type: 'number', required: true }],
          },
          { code: 'security.stability.hazard', name: '安全生产隐患', ...LINKAGE, force: '市应急管理局、属地镇（街道）安监办', supervisor: '市应急管理局', close: '隐患已整改销号' },
        ],
      },
    ],
  },
  {
    code: 'emergency', name: '应急处突', ...EMERGENCY, supervisor: '市应急管理局',
    children: [
      {
        code: 'emergency.accident', name: '事故灾难',
        children: [
          {
            code: 'emergency.accident.fire', name: '火灾', ...MAJOR,
            force: '市消防救援大队、属地镇（街道）、市公安局', close: '明火已扑灭，现场已清理，人员伤亡和损失已核实上报',
            form: [yesNo('casualties', '是否有人员伤亡'), yesNo('trapped', '是否有人员被困')],
          },
          {
            code: 'emergency.accident.gas-leak', name: '燃气泄漏',
            force: '燃气公司抢险队、市消防救援大队、属地镇（街道）', close: '泄漏点已封堵，周边燃气浓度正常，疏散人员已返回',
            form: [
              { key: 'gasType', label: '气源类型', type: 'select', required: true, options: ['管道天然气', '液化石油气', '其他'] },
              yesNo('evacuated', '是否已疏散群众'),
            ],
          },
          { code: 'emergency.accident.hazmat', name: '危险化学品泄漏', ...MAJOR, force: '市应急管理局、市消防救援大队、成都市崇州生态环境局', close: '泄漏已控制，环境监测达标' },
        ],
      },
      {
        code: 'emergency.disaster', name: '自然灾害',
        children: [
          {
            code: 'emergency.disaster.waterlogging', name: '城市内涝',
            force: '市水务局、市住房和城乡建设局（排水）、属地镇（街道）', supervisor: '市水务局', close: '积水已排除，道路恢复通行',
            form: [
              { key: 'depthCm', label: '积水深度（厘米）', type: 'number', required: true },
              yesNo('peopleTrapped', '是否有人员被困'),
            ],
          },
          { code: 'emergency.disaster.geological', name: '地质灾害', ...MAJOR, force: '市规划和自然资源局、市应急管理局、属地镇（街道）', close: '险情已排除或受威胁人员已全部转移' },
          { code: 'emergency.disaster.forest-fire', name: '森林火灾', ...MAJOR, force: '市应急管理局、市林业主管部门、属地镇（街道）扑火队', close: '明火已扑灭，余火已清理，已留人看守' },
        ],
      },
    ],
  },
];

/** The tree as rows (parents first), with inherited category, limit and supervisor filled in. */
export function eventTypeRows(tree: TypeSeed[] = EVENT_TYPE_TREE): EventTypeInsert[] {
  const rows: EventTypeInsert[] = [];
  const walk = (list: TypeSeed[], parentCode: string | null, level: number, inherited: Omit<TypeSeed, 'code' | 'name'>) => {
    for (const [i, t] of list.entries()) {
      const category = t.category ?? inherited.category ?? 'normal';
      const [limitValue, limitUnit] = t.limit ?? inherited.limit ?? [3, 'workday'];
      const supervisor = t.supervisor ?? inherited.supervisor ?? null;
      rows.push({
        code: t.code, parentCode, name: t.name, level, category, limitValue, limitUnit,
        warnRatio: 0.2, formFields: t.form ?? [], handlingForce: t.force ?? null, supervisor, closeStandard: t.close ?? null,
        sort: (i + 1) * 10, enabled: true,
      });
      if (t.children) walk(t.children, t.code, level + 1, { category, limit: [limitValue, limitUnit], supervisor: supervisor ?? undefined });
    }
  };
  walk(tree, null, 1, {});
  return rows;
}
