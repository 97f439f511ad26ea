/** 'a、b、c 等 12 项': names for the operation log and messages, the first `max` of them. */
export function listNames(names: string[], max = 10, unit = '项'): string {
  if (names.length <= max) return names.join('、');
  return `${names.slice(0, max).join('、')} 等 ${names.length} ${unit}`;
}

/** Makes `s` match literally inside a LIKE pattern ('%' and '_' are not wildcards). */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern: `s` anywhere, taken literally. */
export const likeContains = (s: string) => `%${likeEscape(s)}%`;
