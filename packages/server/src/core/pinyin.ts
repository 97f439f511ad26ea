import { pinyin } from 'pinyin-pro';

/** Lower-case pinyin initials of a Chinese name ('崇阳街道' → 'cyjd'), for smart search. */
export function pinyinInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase();
}
