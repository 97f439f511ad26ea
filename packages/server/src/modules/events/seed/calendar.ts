/**
 * Public holidays and swapped working days (调休上班) of the PRC, by year. A year is seeded only
 * while cal_day holds nothing for it, so an administrator's edits (and deletions) are kept.
 *
 * 2026 source: 国务院办公厅关于2026年部分节假日安排的通知 (issued 2025-11-04, published by Xinhua
 * the same day): 元旦 1月1日–3日, 1月4日（周日）上班; 春节 2月15日–23日, 2月14日（周六）、2月28日（周六）
 * 上班; 清明节 4月4日–6日; 劳动节 5月1日–5日, 5月9日（周六）上班; 端午节 6月19日–21日; 中秋节 9月25日–27日;
 * 国庆节 10月1日–7日, 9月20日（周日）、10月10日（周六）上班.
 */

export interface CalendarSeedDay {
  date: string;
  workday: boolean;
  name: string;
}

const span = (name: string, first: string, last: string): CalendarSeedDay[] => {
  const out: CalendarSeedDay[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    out.push({ date: new Date(t).toISOString().slice(0, 10), workday: false, name });
  }
  return out;
};
const swapped = (holiday: string, ...dates: string[]): CalendarSeedDay[] =>
  dates.map((date) => ({ date, workday: true, name: `${holiday}调休上班` }));

export const HOLIDAYS: Record<number, CalendarSeedDay[]> = {
  2026: [
    ...span('元旦', '2026-01-01', '2026-01-03'),
    ...swapped('元旦', '2026-01-04'),
    ...span('春节', '2026-02-15', '2026-02-23'),
    ...swapped('春节', '2026-02-14', '2026-02-28'),
    ...span('清明节', '2026-04-04', '2026-04-06'),
    ...span('劳动节', '2026-05-01', '2026-05-05'),
    ...swapped('劳动节', '2026-05-09'),
    ...span('端午节', '2026-06-19', '2026-06-21'),
    ...span('中秋节', '2026-09-25', '2026-09-27'),
    ...span('国庆节', '2026-10-01', '2026-10-07'),
    ...swapped('国庆节', '2026-09-20', '2026-10-10'),
  ],
};
