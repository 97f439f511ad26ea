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

/** The 操作日志 search form as the API's filters (list and export take the same). */
export function oplogFilter(search: OplogSearch) {
  return { username: search.username.trim() || undefined, type: search.type || undefined, ...rangeToQuery(search.range) };
}

export function fetchOplogs(search: OplogSearch, page: number, pageSize: number) {
  return api.oplogs({ query: { page, pageSize, ...oplogFilter(search) } });
}

/** Downloads the rows matching the search as Excel (the browser saves 操作日志_YYYYMMDD_HHmm.xlsx). */
export function exportOplogs(search: OplogSearch) {
  return api.oplogExport({ query: oplogFilter(search) });
}

export function fetchOplogStats() {
  return api.oplogStats(undefined, { showError: false });
}

export function fetchExceptionStats() {
  return api.exceptionStats(undefined, { showError: false });
}

export function checkOplogChain() {
  return api.oplogChain();
}

export function fetchExceptions(search: ExceptionSearch, page: number, pageSize: number) {
  return api.exceptions({
    query: { page, pageSize, id: search.id.trim() || undefined, ...rangeToQuery(search.range) },
  });
}
