/**
 * Seeds the event hub for the benchmark, in SQL on the server: events created over the last two
 * years with their handling trees (evt_node), timelines (evt_log), delay/return requests and
 * directives, in chunks of INSERT … SELECT over generate_series. Every organisation of the demo
 * data must already have a bench user: its bench users are the actors of its nodes and timeline rows.
 */
import pg from 'pg';
import { eventNumberPrefix } from '@cityops/contracts';

/** Event types when the catalogue is empty: 大类 → 小类 → 子类 leaves with their time limits. */
const FALLBACK_TYPES: [code: string, parent: string | null, name: string, level: number, value: number, unit: string][] = [
  ['B01', null, '市容环境', 1, 5, 'workday'],
  ['B0101', 'B01', '市容秩序', 2, 5, 'workday'],
  ['B010101', 'B0101', '占道经营', 3, 2, 'workday'],
  ['B010102', 'B0101', '乱堆乱放', 3, 3, 'workday'],
  ['B010103', 'B0101', '违规户外广告', 3, 5, 'workday'],
  ['B0102', 'B01', '环境卫生', 2, 3, 'workday'],
  ['B010201', 'B0102', '垃圾满溢', 3, 24, 'hour'],
  ['B010202', 'B0102', '道路不洁', 3, 2, 'day'],
  ['B02', null, '公共设施', 1, 5, 'workday'],
  ['B020101', 'B02', '井盖破损', 3, 12, 'hour'],
  ['B020102', 'B02', '路灯不亮', 3, 3, 'workday'],
  ['B020103', 'B02', '道路破损', 3, 5, 'workday'],
  ['B03', null, '社会治理', 1, 10, 'workday'],
  ['B030101', 'B03', '噪声扰民', 3, 2, 'workday'],
  ['B030102', 'B03', '违法建设', 3, 10, 'workday'],
  ['B030103', 'B03', '油烟污染', 3, 5, 'workday'],
  ['B030104', 'B03', '安全隐患', 3, 4, 'workhour'],
];

/** Sources (EVENT_SOURCES, whose prefixes start the numbers) with their share and who reports them. */
const SOURCES: [value: string, share: number, creator: 'city' | 'grid' | 'self' | 'dept'][] = [
  ['hotline', 0.3, 'city'],
  ['online', 0.08, 'city'],
  ['urban', 0.1, 'city'],
  ['platform', 0.05, 'city'],
  ['linkage', 0.05, 'city'],
  ['grid', 0.25, 'grid'],
  ['self', 0.1, 'self'],
  ['iot', 0.07, 'dept'],
];

const setup = (typesFromCatalogue: boolean) => `
create temp table b_city as select id, name from sys_org where tags ? '市级城运中心' limit 1;
create temp table b_dept as
  select (row_number() over (order by sort, code))::int - 1 as i, id, name from sys_org
  where level = 'department' and not tags ? '市级城运中心' and parent_id = (select parent_id from sys_org where id = (select id from b_city));
create temp table b_town as
  select (row_number() over (order by t.sort, t.code))::int - 1 as i, t.id as town_id, t.name as town_name, t.region_code,
    c.id as centre_id, (select count(*) from sys_org m where m.parent_id = t.id and m.level = 'community')::int as ncomm
  from sys_org t join sys_org c on c.parent_id = t.id and c.tags ? '镇街城运中心' where t.level = 'town';
create temp table b_comm as
  select t.i as ti, (row_number() over (partition by t.i order by o.sort, o.code))::int - 1 as j, o.id, o.name, o.region_code
  from b_town t join sys_org o on o.parent_id = t.town_id and o.level = 'community';
create unique index on b_comm (ti, j);
create temp table b_type as
  select (row_number() over (order by code))::int - 1 as i, code, name,
    (case limit_unit when 'hour' then limit_value when 'day' then limit_value * 24 when 'workhour' then limit_value * 3 else limit_value * 34 end)::float8 as limit_h,
    warn_ratio::float8 as warn_ratio
  from evt_type t where enabled ${typesFromCatalogue ? 'and not exists (select 1 from evt_type c where c.parent_code = t.code)' : "and level = 3"};
-- The bench users of each organisation share its work: an event's actor in an organisation is picked by the event id.
create temp table b_actor as
  select org_id, (row_number() over (partition by org_id order by username))::int - 1 as k, id, name,
    (count(*) over (partition by org_id))::int as n
  from sys_user where org_id is not null and enabled and username like 'bench\\_%';
create unique index on b_actor (org_id, k);
create temp table b_actor_n as select distinct org_id, n from b_actor;
create unique index on b_actor_n (org_id);
create temp table b_src (i int, value text, prefix text, lo float8, hi float8, creator text);
create temp table b_seq (prefix text, day text, last int not null, primary key (prefix, day));
`;

/**
 * One chunk: b_ev (the events' random choices), b_slot (their nodes), then the inserts. Parameters:
 * $1 first g, $2 last g, $3 start, $4 seconds between events, $5 the reference "now".
 */
const CHUNK = `
drop table if exists b_raw, b_ev, b_slot, b_no;
create temp table b_raw as
  select g, $3::timestamptz + (((g - 1) + random()) * $4::float8) * interval '1 second' as created_at,
    random() as u_status, random() as u_src, random() as u_kind, random() as u_town, random() as u_comm, random() as u_comm2,
    random() as u_dept, random() as u_dept2, random() as u_type, random() as u_a, random() as u_b, random() as u_c, random() as u_d,
    random() as u_close, random() as u_stage, random() as u_flag, random() as u_req
  from generate_series($1::int, $2::int) g;
analyze b_raw;

create temp table b_ev as
  select r.*, gen_random_uuid() as id, s.value as source, s.prefix, ty.code as type_code, ty.name as type_name, ty.limit_h, ty.warn_ratio,
    t.i as ti, t.town_name, t.centre_id, c.id as comm_id, c.name as comm_name, coalesce(c.region_code, t.region_code) as region_code,
    c2.id as comm2_id, d.id as dept_id, d2.id as dept2_id, (select id from b_city) as city_id,
    k.kind, st.status,
    (k.kind = 'city' and r.u_a < 0.5) or (k.kind = 'town' and r.u_a < 0.7) as has_comm,
    k.kind = 'comm' and r.u_a < 0.6 as reported,
    r.u_b < 0.3 as has_assist, r.u_c < 0.15 as has_cc, k.kind = 'city' and r.u_d < 0.08 and c2.id is not null as has_assist2,
    r.u_flag < 0.03 as is_key, r.u_flag > 0.98 as supervised, r.u_flag between 0.5 and 0.51 as instructed,
    (5 + r.u_comm2 * 115) * interval '1 minute' as o1, (10 + r.u_dept2 * 230) * interval '1 minute' as o2,
    gen_random_uuid() as n0, gen_random_uuid() as n1, gen_random_uuid() as n2, gen_random_uuid() as n3, gen_random_uuid() as n4, gen_random_uuid() as n5,
    case st.status
      when 'closed' then r.created_at + ty.limit_h * (0.15 + 0.95 * r.u_close) * interval '1 hour'
      when 'handled' then least(r.created_at + ty.limit_h * (0.15 + 0.95 * r.u_close) * interval '1 hour', $5::timestamptz - interval '10 minutes')
      when 'voided' then least(r.created_at + ty.limit_h * 0.3 * r.u_close * interval '1 hour' + interval '30 minutes', $5::timestamptz - interval '10 minutes')
    end as end_ts
  from b_raw r
  join b_src s on r.u_src >= s.lo and r.u_src < s.hi
  join b_town t on t.i = floor(r.u_town * (select count(*) from b_town))::int
  left join b_comm c on c.ti = t.i and c.j = floor(r.u_comm * t.ncomm)::int
  left join b_comm c2 on c2.ti = t.i and t.ncomm > 1 and c2.j = (floor(r.u_comm * t.ncomm)::int + 1 + floor(r.u_comm2 * (t.ncomm - 1))::int) % t.ncomm
  join b_dept d on d.i = floor(r.u_dept * (select count(*) from b_dept))::int
  join b_dept d2 on d2.i = (d.i + 1 + floor(r.u_dept2 * ((select count(*) from b_dept) - 1))::int) % (select count(*) from b_dept)
  join b_type ty on ty.i = floor(power(r.u_type, 1.6) * (select count(*) from b_type))::int
  cross join lateral (select case s.creator when 'city' then 'city'
      when 'grid' then case when r.u_kind < 0.7 and c.id is not null then 'comm' else 'town' end
      when 'self' then case when r.u_kind < 0.5 then 'town' else 'dept' end
      else 'dept' end as kind) k
  cross join lateral (select extract(epoch from ($5::timestamptz - r.created_at)) / 86400 as age) a
  cross join lateral (select case
      when r.u_status < 0.01 then 'draft' when r.u_status < 0.03 then 'voided' when r.u_status < 0.05 then 'handled'
      when r.u_status < 0.05 + (case when a.age < 7 then 0.7 when a.age < 30 then 0.4 when a.age < 180 then 0.12 else 0.03 end) then 'processing'
      else 'closed' end as status) st;
create unique index on b_ev (id);
analyze b_ev;

-- The tree: one row per node; cat = owner (closes), inter (dispatched on), leaf (handles), reported, assist, cc.
create temp table b_slot as
  with s as (
    select e.id as ev_id, 0 as slot, e.n0 as node_id, null::uuid as parent_id,
      case e.kind when 'city' then e.city_id when 'comm' then e.comm_id when 'town' then e.centre_id else e.dept_id end as org_id,
      'main' as role, 'initiate' as via, null::uuid as from_org_id, false as from_city,
      case when e.reported then 'reported' else 'owner' end as cat, e.created_at as node_at, 1.0 as share
    from b_ev e where e.status <> 'draft'
    union all
    select e.id, 1, e.n1, e.n0, e.centre_id, 'main', case e.kind when 'city' then 'dispatch' else 'report' end,
      case e.kind when 'city' then e.city_id else e.comm_id end, e.kind = 'city',
      case when e.kind = 'comm' then 'owner' when e.has_comm then 'inter' else 'leaf' end, e.created_at + e.o1, 0.85
    from b_ev e where e.status <> 'draft' and (e.kind = 'city' or e.reported)
    union all
    select e.id, 2, e.n2, case e.kind when 'city' then e.n1 else e.n0 end, e.comm_id, 'main', 'dispatch', e.centre_id, false,
      'leaf', e.created_at + case e.kind when 'city' then e.o1 + e.o2 else e.o2 end, 0.7
    from b_ev e where e.status <> 'draft' and e.has_comm and e.comm_id is not null
    union all
    select e.id, 3, e.n3, case when e.kind = 'comm' then e.n1 else e.n0 end, e.dept_id, 'assist', case e.kind when 'city' then 'dispatch' else 'assist' end,
      case e.kind when 'city' then e.city_id else e.centre_id end, e.kind = 'city', 'assist', e.created_at + e.o1 + interval '3 minutes', 0.85
    from b_ev e where e.status <> 'draft' and e.has_assist and (e.kind in ('city', 'town') or e.reported)
    union all
    select e.id, 4, e.n4, e.n0, case e.kind when 'dept' then e.centre_id else e.dept2_id end, 'cc', 'dispatch',
      case e.kind when 'city' then e.city_id when 'town' then e.centre_id else e.dept_id end, e.kind = 'city', 'cc', e.created_at + e.o1 + interval '4 minutes', null
    from b_ev e where e.status <> 'draft' and e.has_cc and e.kind in ('city', 'town', 'dept')
    union all
    select e.id, 5, e.n5, e.n1, e.comm2_id, 'assist', 'assist', e.centre_id, false, 'assist', e.created_at + e.o1 + e.o2 + interval '20 minutes', 0.7
    from b_ev e where e.status <> 'draft' and e.has_assist2
  ), t as (
    select s.*, e.status as ev_status, e.end_ts, e.limit_h, e.warn_ratio, e.u_stage,
      not (e.kind = 'city' or (e.kind = 'town' and e.has_comm and e.comm_id is not null)) as owner_is_leaf,
      e.kind = 'city' and e.has_comm and e.comm_id is not null as has_inter,
      case when s.share is null then null else s.node_at + e.limit_h * s.share * interval '1 hour' end as deadline
    from s join b_ev e on e.id = s.ev_id
  ), u as (
    select t.*, case t.ev_status
        when 'closed' then case t.cat when 'owner' then 'finished' when 'reported' then 'reported' when 'cc' then 'read' else 'submitted' end
        when 'handled' then case t.cat when 'owner' then 'closing' when 'reported' then 'reported' when 'cc' then 'read' else 'submitted' end
        when 'voided' then case t.cat when 'reported' then 'reported' when 'owner' then 'finished' when 'cc' then 'finished'
          else case when random() < 0.5 then 'submitted' else 'finished' end end
        else case t.cat
          when 'owner' then case when t.owner_is_leaf then 'todo' else 'waiting' end
          when 'inter' then case when t.u_stage < 0.4 then 'todo' else 'waiting' end
          when 'leaf' then case when t.has_inter and t.u_stage < 0.4 then 'submitted' else 'todo' end
          when 'reported' then 'reported'
          when 'assist' then case when random() < 0.5 then 'todo' else 'submitted' end
          else case when random() < 0.6 then 'todo' else 'read' end end
      end as status
    from t
  )
  select u.*,
    u.deadline - (u.deadline - u.node_at) * u.warn_ratio as warn_at,
    case when u.status = 'submitted' or (u.cat = 'owner' and u.owner_is_leaf and u.status in ('finished', 'closing'))
      then u.node_at + (coalesce(u.end_ts, $5::timestamptz) - u.node_at) * (0.4 + 0.5 * random()) end as handled_at,
    case when u.from_city and not (u.status = 'todo' and random() < 0.5) then u.node_at + (5 + random() * 55) * interval '1 minute' end as signed_at,
    case when u.status = 'todo' and random() < 0.7 then u.node_at + ($5::timestamptz - u.node_at) * random() * 0.8 end as track_at
  from u;
alter table b_slot add column ended_at timestamptz;
-- A backlog item past its limit has mostly had its deadline extended (延期), so open plates vary.
update b_slot set deadline = $5::timestamptz + (-1 + 7 * random()) * interval '1 day'
  where status in ('todo', 'waiting', 'closing') and deadline < $5::timestamptz and random() < 0.65;
update b_slot set warn_at = deadline - limit_h * share * warn_ratio * interval '1 hour' where deadline > node_at + limit_h * share * interval '1 hour';
update b_slot set ended_at = case status
    when 'submitted' then handled_at when 'finished' then end_ts when 'read' then node_at + random() * interval '2 hours'
    when 'reported' then node_at + interval '5 minutes' end;
update b_slot s set track_at = s.node_at + (s.handled_at - s.node_at) / 2 from b_ev e
  where e.id = s.ev_id and s.handled_at is not null and s.track_at is null and e.u_stage > 0.8;
create index on b_slot (ev_id);
analyze b_slot;

-- Daily numbers per source prefix, continuing across chunks.
create temp table b_no as
  select e.id, e.prefix, to_char(e.created_at at time zone 'Asia/Shanghai', 'YYYYMMDD') as day,
    row_number() over (partition by e.prefix, to_char(e.created_at at time zone 'Asia/Shanghai', 'YYYYMMDD') order by e.created_at) as n
  from b_ev e where e.status <> 'draft';
create unique index on b_no (id);
analyze b_no;
update b_no b set n = b.n + q.last from b_seq q where q.prefix = b.prefix and q.day = b.day;
insert into b_seq select prefix, day, max(n) from b_no group by prefix, day
  on conflict (prefix, day) do update set last = excluded.last;

insert into evt_event (id, no, title, content, type_code, source, status, is_key, supervised, region_code, address, lat, lng, form_data,
    occurred_at, creator_id, creator_name, creator_org_id, creator_org_name, owner_org_id, org_ids, from_city, city_dispatched_at,
    reported_to_city, deadline, warn_at, submitted_at, closed_at, close_opinion, void_reason, version, created_at, updated_at)
  select e.id, b.prefix || b.day || lpad(b.n::text, 6, '0'),
    left(coalesce(e.comm_name, e.town_name) || e.type_name || (array['问题','投诉','隐患','反映','需处置','情况'])[1 + floor(e.u_b * 6)::int], 100),
    '群众反映：' || addr.a || '存在' || e.type_name || '情况，请尽快核实处置并反馈结果。',
    e.type_code, e.source, e.status, e.is_key, e.supervised, e.region_code, addr.a,
    30.63 + (e.u_c - 0.5) * 0.3, 103.67 + (e.u_d - 0.5) * 0.3, '{}'::jsonb,
    e.created_at - e.u_close * interval '6 hours', a.id, a.name, org.id, org.name,
    coalesce(own.org_id, org.id), coalesce(ids.org_ids, array[org.id]), e.kind = 'city', case when e.kind = 'city' then e.created_at + e.o1 end,
    false,
    case when e.status <> 'draft' then e.created_at + e.limit_h * interval '1 hour' end,
    case when e.status <> 'draft' then e.created_at + e.limit_h * (1 - e.warn_ratio) * interval '1 hour' end,
    case when e.status <> 'draft' then e.created_at end,
    case when e.status = 'closed' then e.end_ts end,
    case when e.status = 'closed' then '经核查已处置完毕，同意结案。' end,
    case when e.status = 'voided' then (array['重复上报','信息有误','不属于受理范围'])[1 + floor(e.u_c * 3)::int] end,
    coalesce(ids.n, 0) * 2, e.created_at,
    coalesce(e.end_ts, greatest(e.created_at, coalesce(ids.last_at, e.created_at)))
  from b_ev e
  left join b_no b on b.id = e.id
  cross join lateral (select case e.kind when 'city' then e.city_id when 'comm' then e.comm_id when 'town' then e.centre_id else e.dept_id end as org_id) ci
  join sys_org org on org.id = ci.org_id
  left join b_actor_n an on an.org_id = org.id
  left join b_actor a on a.org_id = org.id and a.k = abs(hashtext(e.id::text)) % an.n
  left join (select ev_id, org_id from b_slot where cat = 'owner') own on own.ev_id = e.id
  left join (select ev_id, array_agg(distinct org_id) as org_ids, count(*) as n, max(greatest(node_at, handled_at, track_at)) as last_at from b_slot group by ev_id) ids on ids.ev_id = e.id
  cross join lateral (select e.town_name || coalesce(e.comm_name, '') || (array['人民路','蜀州路','永康路','唐安路','文井江路','金鸡路','崇庆路','晋康路'])[1 + floor(e.u_town * 8)::int]
    || (1 + floor(e.u_comm * 300))::int || '号附近' as a) addr;

insert into evt_node (id, event_id, parent_id, org_id, org_name, org_path, org_level, role, via, status, requirement, from_org_id, from_org_name,
    from_city, deadline, warn_at, signed_at, signed_by, sign_opinion, handled_at, handler_id, handler_name, opinion, ended_at, created_at, updated_at)
  select s.node_id, s.ev_id, s.parent_id, s.org_id, o.name, o.path, o.level, s.role, s.via, s.status,
    case when s.via <> 'initiate' then '请按时限核实处置，并及时反馈办理结果。' end, s.from_org_id, f.name,
    s.from_city, s.deadline, s.warn_at, s.signed_at, case when s.signed_at is not null then a.name end, case when s.signed_at is not null then '已签收' end,
    s.handled_at, case when s.handled_at is not null then a.id end, case when s.handled_at is not null then a.name end,
    case when s.handled_at is not null then '已现场核实并处置完毕。' end, s.ended_at, s.node_at,
    greatest(s.node_at, s.handled_at, s.signed_at, s.track_at, s.ended_at)
  from b_slot s join sys_org o on o.id = s.org_id left join sys_org f on f.id = s.from_org_id left join b_actor_n an on an.org_id = s.org_id
    left join b_actor a on a.org_id = s.org_id and a.k = abs(hashtext(s.ev_id::text)) % an.n;

insert into evt_log (event_id, node_id, action, actor_id, actor_name, actor_org_id, actor_org_name, opinion, detail, is_city, created_at)
  select l.event_id, l.node_id, l.action, a.id, coalesce(a.name, '值班员'), l.org_id, o.name, l.opinion, l.detail, l.org_id = (select id from b_city), l.at
  from (
    select ev_id as event_id, node_id, 'initiate' as action, org_id, null as opinion, '{}'::jsonb as detail, node_at as at from b_slot where slot = 0
    union all
    -- The nodes below the root came by dispatch, report or assist: the timeline action of the same name.
    select s.ev_id, s.node_id, s.via,
      s.from_org_id, '请按时限核实处置，并及时反馈办理结果。', jsonb_build_object('targets', jsonb_build_array(jsonb_build_object('orgId', s.org_id, 'role', s.role))), s.node_at
    from b_slot s where s.slot > 0
    union all select ev_id, node_id, 'sign', org_id, '已签收', '{}'::jsonb, signed_at from b_slot where signed_at is not null
    union all select ev_id, node_id, 'track', org_id, '已到现场核实，正在协调处置。', '{}'::jsonb, track_at from b_slot where track_at is not null
    union all select ev_id, node_id, 'handle', org_id, '已现场核实并处置完毕。', '{}'::jsonb, handled_at from b_slot where handled_at is not null
    union all select ev_id, node_id, 'read', org_id, null, '{}'::jsonb, ended_at from b_slot where status = 'read'
    union all select e.id, null, case e.status when 'closed' then 'close' else 'void' end, v.owner_org_id,
      coalesce(v.close_opinion, v.void_reason), '{}'::jsonb, e.end_ts
      from b_ev e join evt_event v on v.id = e.id where e.status in ('closed', 'voided')
    union all select id, null, 'supervise', city_id, '请加快处置进度，按时反馈。', '{}'::jsonb, created_at + interval '1 day' from b_ev where supervised and status <> 'draft'
    union all select id, null, 'instruct', city_id, '请相关单位高度重视，妥善处置。', '{}'::jsonb, created_at + interval '2 hours' from b_ev where instructed and status <> 'draft'
  ) l left join b_actor_n an on an.org_id = l.org_id left join b_actor a on a.org_id = l.org_id and a.k = abs(hashtext(l.event_id::text)) % an.n
  left join sys_org o on o.id = l.org_id;

-- 我参与: the reporter and everyone on the timeline.
update evt_event v set actor_ids = p.ids
  from (select a.event_id, array_agg(distinct a.actor_id) as ids from (
      select l.event_id, l.actor_id from evt_log l join b_ev e on e.id = l.event_id where l.actor_id is not null
      union select v2.id, v2.creator_id from evt_event v2 join b_ev e on e.id = v2.id) a
    group by a.event_id) p
  where v.id = p.event_id;

insert into evt_directive (event_id, kind, person, dept, position, issued_at, content, user_id, org_id, created_at)
  select e.id, k.kind, '值班领导', (select name from b_city), '主任', e.created_at + k.after, k.content, a.id, e.city_id, e.created_at + k.after
  from b_ev e join b_actor_n an on an.org_id = e.city_id join b_actor a on a.org_id = e.city_id and a.k = abs(hashtext(e.id::text)) % an.n
  cross join lateral (values ('supervise', interval '1 day', '请加快处置进度，按时反馈。', e.supervised), ('instruct', interval '2 hours', '请相关单位高度重视，妥善处置。', e.instructed)) k(kind, after, content, present)
  where k.present and e.status <> 'draft';

-- 延期 (and a few 退回) requests by dispatched organisations, audited by the dispatcher; pending ones are audit to-dos.
insert into evt_request (event_id, node_id, kind, status, reason, old_deadline, new_deadline, applicant_org_id, applicant_org_name, applicant_id, applicant_name,
    auditor_org_id, auditor_org_name, auditor_id, auditor_name, audit_opinion, created_at, audited_at)
  select s.ev_id, s.node_id, q.kind, q.status, case q.kind when 'delay' then '涉及多部门协调，需延长办理期限。' else '不属于本单位职责范围。' end,
    s.deadline - case when q.status = 'approved' then interval '3 days' else interval '0' end,
    s.deadline + case when q.status = 'approved' then interval '0' else interval '3 days' end,
    s.org_id, o.name, a.id, a.name, s.from_org_id, f.name,
    case when q.status <> 'pending' then fa.id end, case when q.status <> 'pending' then fa.name end,
    case q.status when 'approved' then '同意' when 'refused' then '理由不充分，请按原期限办理' end,
    s.node_at + (s.deadline - s.node_at) * 0.5, case when q.status <> 'pending' then s.node_at + (s.deadline - s.node_at) * 0.6 end
  from b_slot s join b_ev e on e.id = s.ev_id
  cross join lateral (select case when e.u_req < 0.01 then 'return' else 'delay' end as kind,
    case when s.status = 'todo' and e.u_req < 0.03 then 'pending' when e.u_req < 0.01 or e.u_req > 0.035 then 'refused' else 'approved' end as status) q
  join sys_org o on o.id = s.org_id join sys_org f on f.id = s.from_org_id
  join b_actor_n an on an.org_id = s.org_id join b_actor a on a.org_id = s.org_id and a.k = abs(hashtext(s.ev_id::text)) % an.n
  join b_actor_n fn on fn.org_id = s.from_org_id join b_actor fa on fa.org_id = s.from_org_id and fa.k = abs(hashtext(s.ev_id::text)) % fn.n
  where e.u_req < 0.04 and s.via = 'dispatch' and s.role = 'main' and s.deadline is not null and s.deadline > s.node_at;
`;

/** The chunk's statements, run one by one so that BENCH_SEED_DEBUG=1 can time each. */
const STATEMENTS = CHUNK.split(/;\n/).map((x) => x.trim()).filter(Boolean);

export interface SeedResult {
  ms: number;
  events: number;
  typesInserted: boolean;
}

/** Seeds `total` events; prints progress per chunk. */
export async function seedEvents(url: string, total: number, opts: { chunk?: number; log?: (s: string) => void } = {}): Promise<SeedResult> {
  const chunk = opts.chunk ?? 50_000;
  const log = opts.log ?? ((s: string) => console.log(s));
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t0 = performance.now();
  // Secondary indexes are built once after the load instead of row by row (primary and unique keys stay).
  const indexes = (await c.query<{ name: string; def: string }>(`
    select i.indexname as name, i.indexdef as def from pg_indexes i
    where i.schemaname = 'public' and i.tablename in ('evt_event', 'evt_node', 'evt_log', 'evt_request', 'evt_directive')
      and not exists (select 1 from pg_constraint k where k.conname = i.indexname)`)).rows;
  try {
    await c.query('set synchronous_commit = off');
    await c.query("set work_mem = '256MB'");
    const typesInserted = await ensureTypes(c);
    for (const ix of indexes) await c.query(`drop index if exists "${ix.name}"`);
    await c.query(setup(!typesInserted));
    let lo = 0;
    for (const [i, [value, share, creator]] of SOURCES.entries()) {
      const hi = i === SOURCES.length - 1 ? 1.0000001 : lo + share;
      await c.query('insert into b_src values ($1, $2, $3, $4, $5, $6)', [i, value, eventNumberPrefix(value), lo, hi, creator]);
      lo = hi;
    }
    const counts = (await c.query(`select (select count(*) from b_town)::int as towns, (select count(*) from b_comm)::int as comms,
      (select count(*) from b_dept)::int as depts, (select count(*) from b_type)::int as types,
      (select count(*) from sys_org o where o.level not in ('district', 'town') and not exists (select 1 from b_actor a where a.org_id = o.id))::int as without_actor`)).rows[0];
    log(`  seed: ${counts.towns} towns, ${counts.comms} communities, ${counts.depts} departments, ${counts.types} event types${typesInserted ? ' (inserted by the bench: the catalogue was empty)' : ''}; organisations without a user: ${counts.without_actor}`);

    // Two years up to 8 hours before today's midnight (China time): the newest trees never reach into the future.
    const { rows } = await c.query(`select (date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai') - interval '8 hours' as end_at`);
    const end = rows[0].end_at as Date;
    const start = new Date(end.getTime() - 730 * 86_400_000);
    const step = (end.getTime() - start.getTime()) / 1000 / total;
    // DDL takes no parameters: the five values (all generated here) are written into the text.
    const bind = (statement: string, from: number, to: number) => statement
      .replaceAll('$1::int', `${from}::int`).replaceAll('$2::int', `${to}::int`)
      .replaceAll('$3::timestamptz', `'${start.toISOString()}'::timestamptz`).replaceAll('$4::float8', `${step}::float8`)
      .replaceAll('$5::timestamptz', `'${end.toISOString()}'::timestamptz`);
    const times: number[] = [];
    for (let from = 1; from <= total; from += chunk) {
      const to = Math.min(total, from + chunk - 1);
      const t = performance.now();
      await c.query('begin');
      for (const [i, statement] of STATEMENTS.entries()) {
        const ts = performance.now();
        const explain = process.env.BENCH_SEED_EXPLAIN === String(i) && from === 1;
        const res = await c.query((explain ? 'explain (analyze, costs off) ' : '') + bind(statement, from, to));
        if (explain) log(res.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
        times[i] = (times[i] ?? 0) + performance.now() - ts;
      }
      await c.query('commit');
      const el = (performance.now() - t0) / 1000;
      log(`  seed: ${to.toLocaleString('en')} / ${total.toLocaleString('en')} events (chunk ${((performance.now() - t) / 1000).toFixed(1)} s, ${el.toFixed(0)} s so far, eta ${((el / to) * (total - to)).toFixed(0)} s)`);
    }
    if (process.env.BENCH_SEED_DEBUG === '1') {
      for (const [i, ms] of times.entries()) log(`  seed statement ${i}: ${(ms / 1000).toFixed(2)} s  ${STATEMENTS[i]!.replace(/\s+/g, ' ').slice(0, 90)}`);
    }
    await c.query('drop table if exists b_raw, b_ev, b_slot, b_no');
    // Open nodes already past 临期/超期 were reminded long ago: mark them, or the reminder sweep would send ~100k messages during the run.
    const reminders = await c.query(`update evt_node set warned_at = case when warn_at <= now() then warn_at end, overdue_at = case when deadline <= now() then deadline end
      where status in ('todo', 'waiting', 'closing') and role <> 'cc' and deadline is not null and (warn_at <= now() or deadline <= now())`);
    log(`  seed: ${reminders.rowCount} open nodes marked as already reminded`);
    // The service numbers new events from evt_sequence ('RX20261123' → last sequence): continue after the seed.
    await c.query(`insert into evt_sequence (key, value) select prefix || day, last from b_seq
      on conflict (key) do update set value = greatest(evt_sequence.value, excluded.value)`);
    return { ms: performance.now() - t0, events: total, typesInserted };
  } finally {
    // After a failed statement the chunk's transaction is still open: end it so that the indexes come back.
    await c.query('rollback').catch(() => {});
    const t = performance.now();
    await c.query("set maintenance_work_mem = '512MB'");
    for (const ix of indexes) await c.query(ix.def.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
    log(`  seed: ${indexes.length} indexes rebuilt in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    // VACUUM as autovacuum would have long done in production: the visibility map makes counts index-only, the update above leaves no dead rows.
    const ta = performance.now();
    await c.query('vacuum (analyze) evt_event, evt_node, evt_log, evt_request, evt_directive, evt_sequence');
    await c.query('analyze');
    log(`  seed: vacuum and analyze ${((performance.now() - ta) / 1000).toFixed(1)} s`);
    await c.end();
  }
}

/** Inserts a small catalogue when none was seeded; returns whether it did. */
async function ensureTypes(c: pg.Client) {
  const { rows } = await c.query('select count(*)::int as n from evt_type');
  if (rows[0].n > 0) return false;
  for (const [i, [code, parent, name, level, value, unit]] of FALLBACK_TYPES.entries()) {
    await c.query('insert into evt_type (code, parent_code, name, level, limit_value, limit_unit, sort) values ($1, $2, $3, $4, $5, $6, $7)', [code, parent, name, level, value, unit, i]);
  }
  return true;
}

/** Distribution and size figures of the seeded tables. */
export async function describeSeed(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const status = (await c.query(`select status, count(*)::int as n from evt_event group by 1 order by 2 desc`)).rows as { status: string; n: number }[];
    const sizes = (await c.query(`select relname as table, n_live_tup::bigint as rows, pg_size_pretty(pg_total_relation_size(relid)) as size
      from pg_stat_user_tables where relname like 'evt_%' order by pg_total_relation_size(relid) desc`)).rows as { table: string; rows: string; size: string }[];
    const plates = (await c.query(`select case when deadline is null then 'none' when now() > deadline then 'red' when now() > warn_at then 'yellow' else 'green' end as plate, count(*)::int as n
      from evt_node where status in ('todo', 'closing') group by 1 order by 1`)).rows as { plate: string; n: number }[];
    const nodes = (await c.query(`select round(avg(n), 2) as avg, min(n) as min, max(n) as max from (select count(*) as n from evt_node group by event_id) x`)).rows[0];
    const logs = (await c.query(`select round(avg(n), 2) as avg, min(n) as min, max(n) as max from (select count(*) as n from evt_log group by event_id) x`)).rows[0];
    return { status, sizes, plates, nodes, logs };
  } finally {
    await c.end();
  }
}
