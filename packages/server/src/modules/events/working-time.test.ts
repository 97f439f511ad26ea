import { afterEach, describe, expect, it } from 'vitest';
import { HOLIDAYS } from './seed/calendar.js';
import {
  DEFAULT_WORK_HOURS, addWorkingMs, computeDeadline, cstDate, cstTime, isWorkday, parseWorkHours, plateOf,
  warnAtFor, workingMsBetween, type Limit, type WorkCalendar,
} from './working-time.js';

const cal: WorkCalendar = {
  exceptions: new Map(HOLIDAYS[2026]!.map((d) => [d.date, d.workday])),
  periods: parseWorkHours(DEFAULT_WORK_HOURS),
};
const at = (date: string, hhmm: string) => cstTime(date, hhmm);
const deadline = (from: Date, value: number, unit: Limit['unit'], warnRatio = 0.2) => computeDeadline(cal, from, { value, unit, warnRatio });
const HOUR = 3_600_000;

describe('working calendar', () => {
  it('works Monday to Friday, except listed holidays; listed 调休 weekends are working days', () => {
    expect(isWorkday(cal, '2026-03-13')).toBe(true); // Friday
    expect(isWorkday(cal, '2026-03-14')).toBe(false); // Saturday
    expect(isWorkday(cal, '2026-10-01')).toBe(false); // 国庆节, Thursday
    expect(isWorkday(cal, '2026-10-05')).toBe(false); // 国庆节, Monday
    expect(isWorkday(cal, '2026-09-20')).toBe(true); // Sunday, 调休上班
    expect(isWorkday(cal, '2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(isWorkday(cal, '2026-02-14')).toBe(true); // Saturday, 春节调休上班
  });

  it('reads dates in China Standard Time', () => {
    expect(cstDate(new Date('2026-10-07T16:30:00Z'))).toBe('2026-10-08');
    expect(cstDate(new Date('2026-10-07T15:59:59Z'))).toBe('2026-10-07');
    expect(at('2026-10-08', '09:00').toISOString()).toBe('2026-10-08T01:00:00.000Z');
  });

  it('parses working hours and explains bad ones in Chinese', () => {
    expect(parseWorkHours('09:00-12:00,13:30-17:30')).toEqual([{ start: 540, end: 720 }, { start: 810, end: 1050 }]);
    expect(parseWorkHours(' 8:30-12:00， 14:00-18:00 ')).toEqual([{ start: 510, end: 720 }, { start: 840, end: 1080 }]);
    expect(() => parseWorkHours('9点到12点')).toThrow('格式不正确');
    expect(() => parseWorkHours('12:00-09:00')).toThrow('结束早于开始');
    expect(() => parseWorkHours('09:00-12:00,11:00-17:00')).toThrow('重叠');
    expect(() => parseWorkHours('09:00-25:00')).toThrow('时刻不存在');
    expect(() => parseWorkHours('')).toThrow('为空');
  });
});

describe('working days', () => {
  it('Friday afternoon + 3 working days lands on Wednesday at the same time, over the weekend', () => {
    const r = deadline(at('2026-03-13', '15:00'), 3, 'workday');
    expect(r.deadline).toEqual(at('2026-03-18', '15:00'));
    // 20 % of 21 working hours (4 h 12 min) remain from Wednesday 09:18.
    expect(r.warnAt).toEqual(at('2026-03-18', '09:18'));
    expect(workingMsBetween(cal, r.warnAt, r.deadline)).toBe(4.2 * HOUR);
  });

  it('skips the 2026 National Day week and counts the 调休 Saturday 10-10', () => {
    expect(deadline(at('2026-09-30', '10:00'), 3, 'workday').deadline).toEqual(at('2026-10-10', '10:00'));
    expect(deadline(at('2026-09-30', '10:00'), 4, 'workday').deadline).toEqual(at('2026-10-12', '10:00'));
  });

  it('counts the 调休 Sunday 09-20 and the 春节 调休 Saturday 02-14', () => {
    expect(deadline(at('2026-09-18', '10:00'), 1, 'workday').deadline).toEqual(at('2026-09-20', '10:00'));
    expect(deadline(at('2026-02-13', '16:00'), 1, 'workday').deadline).toEqual(at('2026-02-14', '16:00'));
    expect(deadline(at('2026-02-13', '16:00'), 2, 'workday').deadline).toEqual(at('2026-02-24', '16:00'));
  });

  it('started on a holiday, counts from the first working period after it and ends at the close of day', () => {
    expect(deadline(at('2026-10-03', '10:00'), 1, 'workday').deadline).toEqual(at('2026-10-08', '17:30'));
    expect(deadline(at('2026-10-03', '10:00'), 2, 'workday').deadline).toEqual(at('2026-10-09', '17:30'));
    expect(deadline(at('2026-10-03', '10:00'), 2, 'workhour').deadline).toEqual(at('2026-10-08', '11:00'));
  });

  it('started outside working hours on a working day, counts from the next working period', () => {
    expect(deadline(at('2026-03-13', '19:00'), 1, 'workday').deadline).toEqual(at('2026-03-16', '17:30')); // Friday evening
    expect(deadline(at('2026-03-18', '12:30'), 1, 'workday').deadline).toEqual(at('2026-03-19', '12:00')); // lunch break
    expect(deadline(at('2026-03-16', '09:00'), 1, 'workday').deadline).toEqual(at('2026-03-16', '17:30')); // at opening
  });
});

describe('working hours', () => {
  it('skips the lunch break', () => {
    expect(deadline(at('2026-03-16', '11:00'), 2, 'workhour').deadline).toEqual(at('2026-03-16', '14:30'));
  });

  it('continues the next working morning, and after a weekend', () => {
    expect(deadline(at('2026-03-16', '17:00'), 2, 'workhour').deadline).toEqual(at('2026-03-17', '10:30'));
    expect(deadline(at('2026-03-13', '17:00'), 4, 'workhour').deadline).toEqual(at('2026-03-16', '14:00'));
  });

  it('turns yellow once less than the ratio of working time remains', () => {
    const r = deadline(at('2026-03-16', '10:00'), 4, 'workhour', 0.25);
    expect(r.deadline).toEqual(at('2026-03-16', '15:30'));
    expect(r.warnAt).toEqual(at('2026-03-16', '14:30'));
  });

  it('the same amount of working time passes between start and deadline', () => {
    const from = at('2026-04-03', '16:45');
    expect(workingMsBetween(cal, from, addWorkingMs(cal, from, 9 * HOUR))).toBe(9 * HOUR);
  });
});

describe('natural time', () => {
  it('counts hours and days through holidays and nights', () => {
    expect(deadline(at('2026-10-01', '10:00'), 2, 'hour')).toEqual({ deadline: at('2026-10-01', '12:00'), warnAt: at('2026-10-01', '11:36') });
    expect(deadline(at('2026-10-01', '10:00'), 3, 'day')).toEqual({ deadline: at('2026-10-04', '10:00'), warnAt: at('2026-10-03', '19:36') });
  });
});

describe('warnAtFor (a deadline set by hand)', () => {
  it('keeps the ratio of the working time up to the new deadline', () => {
    expect(warnAtFor(cal, at('2026-03-13', '15:00'), at('2026-03-18', '15:00'), 0.2)).toEqual(at('2026-03-18', '09:18'));
  });

  it('shares natural time when the span holds no working time, and never passes the deadline', () => {
    expect(warnAtFor(cal, at('2026-03-14', '10:00'), at('2026-03-15', '10:00'), 0.25)).toEqual(at('2026-03-15', '04:00'));
    expect(warnAtFor(cal, at('2026-03-16', '10:00'), at('2026-03-16', '09:00'), 0.2)).toEqual(at('2026-03-16', '09:00'));
  });
});

describe('independence from the machine time zone', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('gives the same deadlines under another TZ', () => {
    process.env.TZ = 'America/New_York';
    expect(deadline(at('2026-09-30', '10:00'), 3, 'workday').deadline).toEqual(at('2026-10-10', '10:00'));
    expect(deadline(at('2026-03-13', '17:00'), 4, 'workhour').deadline).toEqual(at('2026-03-16', '14:00'));
  });
});

describe('plate', () => {
  const d = { deadline: at('2026-03-18', '15:00'), warnAt: at('2026-03-18', '09:18') };
  it('is green, then yellow, then red while open', () => {
    expect(plateOf(d, at('2026-03-18', '09:00'))).toBe('green');
    expect(plateOf(d, at('2026-03-18', '10:00'))).toBe('yellow');
    expect(plateOf(d, at('2026-03-18', '15:01'))).toBe('red');
  });

  it('of a finished task, says whether it ended in time; none without a deadline', () => {
    expect(plateOf({ ...d, finishedAt: at('2026-03-18', '14:00') }, at('2026-04-01', '09:00'))).toBe('green');
    expect(plateOf({ ...d, finishedAt: at('2026-03-19', '09:00') }, at('2026-04-01', '09:00'))).toBe('red');
    expect(plateOf({ deadline: null, warnAt: null }, at('2026-04-01', '09:00'))).toBeNull();
  });
});
