import { describe, expect, it } from 'vitest';
import { pinyinInitials } from './pinyin.js';

describe('pinyin initials', () => {
  it.each([
    ['崇阳街道', 'cyjd'],
    ['文井江镇', 'wjjz'],
    ['崇州市城市运行管理中心', 'czscsyxglzx'],
    ['汇蜀社区', 'hssq'],
  ])('%s → %s', (name, initials) => expect(pinyinInitials(name)).toBe(initials));
});
