import type { ProductOption } from '@cityops/contracts';
import { api } from '@/api/client';

let cache: Promise<ProductOption[]> | null = null;

/** The products for pickers, one request per page load (until `resetProductOptions`). */
export function loadProductOptions(): Promise<ProductOption[]> {
  cache ??= api.iotProductOptions(undefined, { showError: false }).catch((e: unknown) => {
    cache = null;
    throw e;
  });
  return cache;
}

/** Forget the cached products (after one is added, changed or deleted). */
export function resetProductOptions() {
  cache = null;
}
