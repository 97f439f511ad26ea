import type { Directive, DirectiveBinding } from 'vue';
import { useAuthStore } from '@/stores/auth';

export type PermissionValue = string | readonly string[];

function check(el: HTMLElement, binding: DirectiveBinding<PermissionValue>): void {
  const auth = useAuthStore();
  if (!auth.hasPermission(binding.value)) el.parentNode?.removeChild(el);
}

/**
 * `v-permission="'system:oplog:export'"` or `v-permission="['a:b:c', 'a:b:d']"` (any of):
 * removes the element when the user holds none of the codes.
 */
export const vPermission: Directive<HTMLElement, PermissionValue> = {
  mounted: check,
};

declare module 'vue' {
  interface GlobalDirectives {
    vPermission: typeof vPermission;
  }
}
