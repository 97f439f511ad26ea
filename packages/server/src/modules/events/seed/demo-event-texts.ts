/**
 * The words of the demo events (seed/demo-events.ts): places in each of Chongzhou's 15 towns, and
 * per event type the titles, descriptions and handling opinions a duty officer would write. No
 * person is named: the people are the demo accounts.
 */

/** Streets and landmarks per town (region code), and a point near its centre for the map. */
export const TOWNS: Record<string, { places: string[]; lat: number; lng: number }> = {
  '510184001': { places: ['蜀州中路', '唐安西路', '永康东路', '西河路', '文庙街', '上南街', '金带街'], lat: 30.630, lng: 103.673 },
  '510184002': { places: ['崇江路', '凌翔街', '羊马场镇正街', '泗安路', '安阜路'], lat: 30.648, lng: 103.793 },
  '510184003': { places: ['三江场镇正街', '西江河堤', '三江农贸市场'], lat: 30.548, lng: 103.700 },
  '510184004': { places: ['江源场镇正街', '江源大道', '金马河江源段'], lat: 30.575, lng: 103.745 },
  '510184005': { places: ['大划场镇正街', '崇温路大划段', '大划农贸市场'], lat: 30.675, lng: 103.660 },
  '510184006': { places: ['崇庆北路', '晋康北路', '崇州大道', '公议路'], lat: 30.620, lng: 103.640 },
  '510184104': { places: ['廖家场镇正街', '崇新路廖家段', '西河廖家段'], lat: 30.565, lng: 103.640 },
  '510184105': { places: ['元通古镇', '元通场镇正街', '泊江河元通段'], lat: 30.680, lng: 103.560 },
  '510184106': { places: ['观胜场镇正街', '崇双路观胜段', '观胜农贸市场'], lat: 30.630, lng: 103.560 },
  '510184107': { places: ['怀远古镇', '怀远场镇正街', '崇青路怀远段'], lat: 30.705, lng: 103.500 },
  '510184109': { places: ['街子古镇', '味江路', '街子场镇正街'], lat: 30.745, lng: 103.540 },
  '510184110': { places: ['文井江场镇', '鞍子河沿线', '文井江大道'], lat: 30.745, lng: 103.430 },
  '510184112': { places: ['白头场镇正街', '崇温路白头段', '白头农贸市场'], lat: 30.590, lng: 103.590 },
  '510184113': { places: ['道明场镇正街', '竹艺村', '崇青路道明段'], lat: 30.680, lng: 103.610 },
  '510184114': { places: ['隆兴场镇正街', '隆兴大道', '金马河隆兴段'], lat: 30.585, lng: 103.690 },
};

/** Spots inside a village or community, after its name: 「北楸社区」+「农贸市场旁」. */
export const SPOTS = ['农贸市场旁', '居民小区门口', '背街小巷', '公交站台附近', '沿街商铺前', '主干道旁', '幼儿园门口', '活动广场'];

/** How each source opens a description. */
export const SOURCE_LEADS: Record<string, string> = {
  hotline: '市民通过12345热线反映：',
  online: '网民在网络理政平台留言反映：',
  urban: '数字城管信息采集员巡查发现：',
  linkage: '大联动平台推送：',
  platform: '',
  grid: '网格员日常巡查发现：',
  self: '工作人员巡查发现：',
  iot: '',
};

export interface TypeText {
  /** Titles after the place, e.g. 「蜀州中路」+「流动摊贩占道经营」. */
  titles: string[];
  /** The description; {a} is the address. */
  content: string;
  /** What an IoT warning of this type says; {a} is the address. */
  iot?: string;
  /** Progress notes (跟踪) and handling results (处理意见). */
  track: string;
  handle: string[];
  /** The type's custom form, filled in as the reporter would. */
  form?: Record<string, unknown>;
}

export const TYPE_TEXTS: Record<string, TypeText> = {
  'urban.appearance.street-vending': {
    titles: ['流动摊贩占道经营', '店外经营占用人行道', '夜市摊点占道影响通行'],
    content: '{a}有商贩占用人行道摆摊经营，早晚高峰行人只能绕行机动车道，存在安全隐患，请尽快处理。',
    track: '执法中队已到现场核实，正在劝导摊贩搬离。',
    handle: ['执法队员到场劝离流动摊贩，现场已恢复通行，已纳入日常巡查点位。', '已对店外经营商户下达责令改正通知书，商户已将商品搬回店内。'],
    form: { businessType: '流动摊贩', blocksTraffic: true },
  },
  'urban.appearance.clutter': {
    titles: ['建筑垃圾乱堆乱放', '杂物堆放占用消防通道', '废旧家具乱堆乱放'],
    content: '{a}堆放大量建筑垃圾和废旧杂物，占用公共通道，影响居民出行和环境卫生。',
    track: '已联系堆放人，约定今日内清运。',
    handle: ['已组织人员和车辆将堆放物清运完毕，现场已恢复整洁。', '已联系堆放人自行清理，现场已清理干净，将加强巡查。'],
  },
  'urban.appearance.exposed-garbage': {
    titles: ['垃圾桶满溢未及时清运', '路边暴露垃圾', '绿化带内生活垃圾堆积'],
    content: '{a}生活垃圾堆积未及时清运，气味较大，蚊蝇滋生，影响周边居民生活。',
    track: '已通知环卫作业单位安排车辆清运。',
    handle: ['环卫作业单位已将垃圾清运完毕，现场已清扫消毒。', '已清运暴露垃圾并增加该点位的清运频次。'],
  },
  'urban.appearance.illegal-ad': {
    titles: ['违规设置户外广告牌', '商铺招牌破损存在坠落隐患'],
    content: '{a}有商户未经审批擅自设置户外广告，部分广告牌固定不牢，大风天气存在坠落风险。',
    track: '已告知商户限期自行拆除。',
    handle: ['商户已按要求拆除违规广告牌，现场已复查。', '已督促商户对破损招牌进行加固整改，隐患已消除。'],
  },
  'urban.facility.manhole': {
    titles: ['井盖缺失', '雨水井盖破损下沉'],
    content: '{a}井盖缺失，井口裸露，已有行人险些踩空，请尽快处置。',
    iot: '井盖监测终端告警：{a}井盖发生位移倾斜，疑似缺失或破损。',
    track: '已在井口设置围挡和警示标志，正在联系权属单位。',
    handle: ['已在井口设置围挡警示，权属单位已更换新井盖，现场恢复正常。', '经核实为雨水井盖破损，已更换防坠井盖。'],
    form: { coverType: '雨水', warningSet: true },
  },
  'urban.facility.streetlight': {
    titles: ['路灯不亮', '一排路灯夜间全部熄灭'],
    content: '{a}多盏路灯连续数晚不亮，夜间道路漆黑，居民出行不便。',
    track: '路灯维修班组已排查，故障为线路老化。',
    handle: ['路灯维修班组已更换损坏灯具和线路，夜间已正常亮灯。'],
  },
  'urban.facility.road-damage': {
    titles: ['路面坑洼破损', '人行道地砖松动破损'],
    content: '{a}路面出现多处坑洼，雨天积水，电瓶车通行容易摔倒。',
    track: '已设置警示标志，等待养护单位进场施工。',
    handle: ['道路养护单位已对破损路面进行修补，现已恢复通行。', '已更换松动破损的人行道地砖。'],
  },
  'urban.greening.damage': {
    titles: ['绿化带被踩踏毁损', '行道树被人为破坏'],
    content: '{a}绿化带被人为踩踏毁坏，部分苗木死亡，影响市容。',
    track: '已核实毁损面积，安排补植。',
    handle: ['已清理毁损苗木并完成补植，设置了爱绿护绿提示牌。'],
  },
  'urban.greening.fallen-tree': {
    titles: ['大风导致行道树倒伏', '树木倾斜压住电线'],
    content: '{a}行道树被大风吹倒，横卧在非机动车道上，影响通行。',
    track: '园林工人已到场，正在切割清理。',
    handle: ['已组织园林工人将倒伏树木切割清运，道路恢复通行。'],
  },
  'housing.construction.night-noise': {
    titles: ['工地夜间施工噪声扰民', '深夜混凝土浇筑噪声大'],
    content: '{a}建筑工地连续多晚施工至凌晨，机械噪声很大，周边居民无法正常休息。',
    track: '夜间已到工地现场核查，施工单位未能出示夜间施工许可。',
    handle: ['经核查该工地未办理夜间施工许可，已责令停止夜间施工并依法立案查处。', '施工单位已停止夜间作业，并在工地门口公示施工时间。'],
  },
  'housing.construction.dust': {
    titles: ['工地扬尘污染', '渣土车未覆盖沿路撒漏'],
    content: '{a}工地裸土未覆盖，车辆进出未冲洗，扬尘较大。',
    iot: '扬尘在线监测设备告警：{a}附近PM10浓度持续超标。',
    track: '已约谈施工单位负责人。',
    handle: ['已督促施工单位落实裸土覆盖、洒水降尘和车辆冲洗措施，扬尘已得到控制。'],
  },
  'housing.construction.illegal-building': {
    titles: ['私自搭建彩钢棚', '楼顶违法加建'],
    content: '{a}有住户在楼顶私自搭建彩钢棚，疑似违法建设，请相关部门核查。',
    track: '已现场勘查并拍照取证，已向当事人送达询问通知书。',
    handle: ['经调查核实属违法建设，已下达限期拆除决定书，当事人已自行拆除。'],
  },
  'housing.property.service': {
    titles: ['小区物业服务纠纷', '小区物业费收费争议'],
    content: '{a}小区业主反映物业公司服务不到位，电梯、绿化长期无人维护，业主与物业产生纠纷。',
    track: '已约物业公司和业主代表到社区沟通。',
    handle: ['已组织社区、物业公司和业主代表召开协调会，物业公司承诺限期整改，业主表示认可。'],
  },
  'housing.property.facility': {
    titles: ['小区单元门门禁损坏', '小区公共照明和监控损坏'],
    content: '{a}小区公共设施损坏多日无人维修，给居民生活带来不便。',
    track: '已通知物业公司安排维修。',
    handle: ['已督促物业公司完成维修，设施恢复正常使用。'],
  },
  'housing.safety.dangerous': {
    titles: ['老旧房屋墙体开裂', '危房存在垮塌隐患'],
    content: '{a}一处老旧房屋墙体出现明显裂缝，存在安全隐患，请相关部门鉴定处置。',
    track: '已设置警示标志，联系鉴定机构上门鉴定。',
    handle: ['已委托专业机构进行安全鉴定，已设置警示标志并动员住户临时搬离。'],
  },
  'eco.air.open-burning': {
    titles: ['露天焚烧秸秆', '露天焚烧垃圾'],
    content: '{a}有人露天焚烧秸秆和垃圾，浓烟较大，影响周边空气质量。',
    track: '工作人员已赶往现场。',
    handle: ['已到场扑灭明火，清理焚烧物，并对当事人进行批评教育。'],
  },
  'eco.air.cooking-fume': {
    titles: ['餐饮油烟扰民', '烧烤店油烟直排'],
    content: '{a}餐饮店未安装油烟净化设施，油烟直排，影响楼上住户。',
    iot: '油烟在线监测设备告警：{a}餐饮单位油烟排放浓度连续超标。',
    track: '已到店检查，油烟净化设施未正常开启。',
    handle: ['已责令商户安装并正常使用油烟净化设施，复查时设施已正常运行。', '商户已清洗油烟净化设备，复测排放浓度达标。'],
  },
  'eco.water.sewage': {
    titles: ['污水直排河道', '商户污水排入雨水管网'],
    content: '{a}有商户将污水直接排入雨水管网，流入河道造成污染。',
    track: '已排查排口位置，锁定涉事商户。',
    handle: ['已对直排口进行封堵，责令商户将污水接入市政污水管网。'],
  },
  'traffic.order.illegal-parking': {
    titles: ['车辆违停占用消防通道', '机动车乱停放堵塞道路'],
    content: '{a}多辆机动车长期违停，占用道路和消防通道，影响通行。',
    track: '交警中队已安排警力前往。',
    handle: ['交警到场对违停车辆进行处理，已张贴违停告知单，道路恢复畅通。'],
  },
  'traffic.transport.illegal-taxi': {
    titles: ['非法营运车辆揽客'],
    content: '{a}长期有无营运资质的车辆揽客拉客，存在安全隐患。',
    track: '已安排便衣蹲守取证。',
    handle: ['已联合交通运输执法部门开展整治，依法查处非法营运车辆。'],
  },
  'security.dispute.neighbour': {
    titles: ['邻里因漏水问题发生纠纷', '邻里噪声纠纷'],
    content: '{a}两户居民因楼上漏水问题多次发生争执，矛盾有激化风险，请求调解。',
    track: '已分别上门了解情况。',
    handle: ['社区人民调解委员会联合派出所民警上门调解，双方已达成调解协议。'],
  },
  'security.stability.gathering': {
    titles: ['小区业主聚集反映交房问题', '务工人员聚集讨要工资'],
    content: '{a}有二十余人聚集，情绪较为激动，请尽快到场处置。',
    track: '民警已到场维持秩序，正在了解诉求。',
    handle: ['民警和属地工作人员已到场疏导，聚集人员已疏散，诉求已登记交办相关部门。'],
    form: { peopleCount: 23 },
  },
  'emergency.disaster.waterlogging': {
    titles: ['强降雨导致路面积水', '下穿通道积水'],
    content: '{a}强降雨后路面积水较深，车辆无法通行。',
    iot: '积水监测设备告警：{a}积水深度超过30厘米。',
    track: '已调派抽水设备赶赴现场，安排人员疏导交通。',
    handle: ['已调派排涝抽水设备，积水已排除，道路恢复通行。'],
    form: { depthCm: 35, peopleTrapped: false },
  },
  'health.disease.vector': {
    titles: ['背街小巷蚊蝇滋生', '垃圾死角老鼠出没'],
    content: '{a}卫生死角积水，蚊蝇滋生严重，居民反映强烈。',
    track: '已安排消杀人员。',
    handle: ['已组织消杀作业，清理积水和卫生死角。'],
  },
};

/** Who handles what: the types each kind of organisation is sent. */
export const TYPES_BY_HANDLER = {
  zfj: ['urban.appearance.street-vending', 'urban.appearance.clutter', 'urban.appearance.illegal-ad', 'housing.construction.night-noise',
    'housing.construction.illegal-building', 'eco.air.cooking-fume', 'eco.water.sewage', 'housing.construction.dust', 'urban.facility.manhole'],
  gaj: ['traffic.order.illegal-parking', 'security.dispute.neighbour', 'traffic.transport.illegal-taxi'],
  town: ['urban.appearance.clutter', 'urban.appearance.exposed-garbage', 'urban.facility.streetlight', 'urban.facility.road-damage',
    'urban.greening.damage', 'housing.property.service', 'housing.property.facility', 'security.dispute.neighbour', 'health.disease.vector',
    'housing.safety.dangerous', 'eco.air.open-burning'],
  grid: ['urban.appearance.clutter', 'urban.appearance.exposed-garbage', 'housing.property.facility', 'security.dispute.neighbour',
    'urban.greening.damage', 'health.disease.vector', 'urban.facility.streetlight'],
  iot: ['eco.air.cooking-fume', 'housing.construction.dust', 'urban.facility.manhole'],
} as const;

export const OPINIONS = {
  dispatch: ['请按时限核实处置，并及时反馈办理结果。', '请尽快到现场核实处置，处置前后拍照留存。', '请属地和相关部门密切配合，妥善处置。'],
  requirement: ['请于期限内核实处置并反馈。', '请到现场核实，依法处置。', '请组织力量清理整治。'],
  assist: '请协助开展联合执法。',
  report: ['超出本级处置能力，请上级协调相关部门处置。', '涉及多个部门职责，请求上级统筹协调。'],
  sign: '已签收，马上安排处置。',
  close: ['经核实已处置完毕，同意结案。', '处置结果符合结案标准，予以结案。', '已回访诉求人，对处置结果表示满意，同意结案。'],
  voids: ['与已受理工单重复，作废处理。', '经核实信息有误，不属于受理范围。', '来电人已自行解决，撤回诉求。'],
  delay: ['涉及多个部门，需协调后处置，申请延长办理期限。', '需等待专业机构鉴定结果，申请延期。', '当事人暂不在本地，需延期办理。'],
  returns: ['经核实该事发地点不在本单位辖区，申请退回重新派发。', '该事项不属于本单位职责范围，申请退回。'],
  rework: '现场复核仍有遗留问题，请重新处置并补充处置后照片。',
  instruct: ['请相关单位高度重视，依法依规妥善处置，及时回应群众诉求。', '此事群众反映强烈，请加快处置进度。'],
  supervise: ['该事件已超过办理期限，请加快处置并说明原因。', '请于今日内反馈处置进展。'],
  force: '经多次协调已无法继续推进，诉求人已知晓处理情况，强制办结。',
} as const;
