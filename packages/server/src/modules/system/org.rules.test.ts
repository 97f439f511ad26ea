import { describe, expect, it } from 'vitest';
import { canReportToCity, levelRuleBroken } from './org.rules.js';

describe('canReportToCity', () => {
  it('holds only for an enabled organisation tagged 镇街城运中心', () => {
    expect(canReportToCity({ tags: ['镇街城运中心'], enabled: true })).toBe(true);
    expect(canReportToCity({ tags: ['市级城运中心', '镇街城运中心'], enabled: true })).toBe(true);
    expect(canReportToCity({ tags: [], enabled: true })).toBe(false);
    expect(canReportToCity({ tags: ['市级城运中心'], enabled: true })).toBe(false);
    expect(canReportToCity({ tags: ['镇街城运中心'], enabled: false })).toBe(false);
  });
});

describe('levelRuleBroken', () => {
  it('allows a town under the district, a community under a town, a grid under a community', () => {
    expect(levelRuleBroken('district', 'town')).toBeNull();
    expect(levelRuleBroken('town', 'community')).toBeNull();
    expect(levelRuleBroken('community', 'grid')).toBeNull();
    expect(levelRuleBroken(null, 'district')).toBeNull();
  });

  it('explains in Chinese what may go where', () => {
    expect(levelRuleBroken('district', 'community', '崇州市')).toBe('「村（社区）」不能建在「崇州市」（区县（县级市））下，其下级只能是：部门、镇（街道）');
    expect(levelRuleBroken('grid', 'grid')).toBe('「网格」下不能再建下级组织');
    expect(levelRuleBroken(null, 'town')).toBe('「镇（街道）」不能作为根组织，根组织只能是：区县（县级市）');
  });
});
