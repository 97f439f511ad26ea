import { api } from '@/api/client';
import { rangeToQuery } from '@/utils/format';

/** The values of the 操作日志 search form. */
export interface OplogSearch {
  username: string;
  type: string;
  range: [Date, Date] | null;
}

/** The values of the 系统异常 search form. */
export interface ExceptionSearch {
  id: string;
  range: [Date, Date] | null;
}

export function fetchOplogs(search: OplogSearch, page: number, pageSize: number) {
  return api.oplogs({
    query: {
      page,
      pageSize,
      username: search.username.trim() || undefined,
      type: search.type || undefined,
      ...rangeToQuery(search.range),
    },
  });
}

export function checkOplogChain() {
  return api.oplogChain();
}

export function fetchExceptions(search: ExceptionSearch, page: number, pageSize: number) {
  return api.exceptions({
    query: { page, pageSize, id: search.id.trim() || undefined, ...rangeToQuery(search.range) },
  });
}
