import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { SUPER_PERMISSION } from '@cityops/contracts';
import type { Me, MenuNode } from '@cityops/contracts';
import { api } from '@/api/client';
import type { CallOptions } from '@/api/client';

export type PasswordChangeReason = NonNullable<Me['user']['passwordChangeReason']>;

/** The logged-in user, their permission codes and menu tree. */
export const useAuthStore = defineStore('auth', () => {
  const me = ref<Me | null>(null);
  /** Session idle timeout told by the login response (seconds), if known. */
  const idleTimeoutSeconds = ref<number | null>(null);
  /**
   * Set when the server demands a password change but the user itself is not (yet) known here,
   * e.g. right after a login answering `mustChangePassword`, or when /me itself is refused.
   */
  const pendingPasswordChange = ref<{ username: string; reason?: PasswordChangeReason } | null>(null);
  let loading: Promise<Me> | null = null;

  const user = computed(() => me.value?.user ?? null);
  const permissions = computed(() => me.value?.permissions ?? []);
  const menus = computed<MenuNode[]>(() => me.value?.menus ?? []);
  const isLoggedIn = computed(() => me.value !== null);
  const mustChangePassword = computed(
    () => (me.value?.user.mustChangePassword ?? false) || pendingPasswordChange.value !== null,
  );
  /** Why the password must be changed, when it must. */
  const passwordChangeReason = computed<PasswordChangeReason | undefined>(
    () => me.value?.user.passwordChangeReason ?? pendingPasswordChange.value?.reason,
  );
  const permissionSet = computed(() => new Set(permissions.value));

  /** True when the user holds `code` (or any of the codes); holders of the super permission hold everything. */
  function hasPermission(code: string | readonly string[] | null | undefined): boolean {
    if (code === undefined || code === null) return true;
    const set = permissionSet.value;
    if (set.has(SUPER_PERMISSION)) return true;
    const codes = typeof code === 'string' ? [code] : code;
    if (codes.length === 0) return true;
    return codes.some((c) => set.has(c));
  }

  /** (Re)loads the current user from the server; concurrent calls share one request. */
  function load(options: CallOptions = { showError: false, handleAuth: false }): Promise<Me> {
    loading ??= api
      .me(undefined, options)
      .then((result) => {
        me.value = result;
        if (!result.user.mustChangePassword) pendingPasswordChange.value = null;
        return result;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  /** Marks the user as obliged to change the password (the server said so). */
  function requirePasswordChange(reason?: PasswordChangeReason, username?: string): void {
    if (!me.value) {
      pendingPasswordChange.value = {
        username: username ?? pendingPasswordChange.value?.username ?? '',
        reason: reason ?? pendingPasswordChange.value?.reason,
      };
      return;
    }
    me.value = {
      ...me.value,
      user: { ...me.value.user, mustChangePassword: true, passwordChangeReason: reason ?? me.value.user.passwordChangeReason },
    };
  }

  function clear(): void {
    me.value = null;
    idleTimeoutSeconds.value = null;
    pendingPasswordChange.value = null;
  }

  /** Ends the session on the server (best effort) and forgets the user. */
  async function logout(): Promise<void> {
    try {
      await api.logout(undefined, { showError: false, handleAuth: false });
    } catch {
      // The session may already be gone; the local state is cleared anyway.
    } finally {
      clear();
    }
  }

  return {
    me,
    idleTimeoutSeconds,
    user,
    permissions,
    menus,
    isLoggedIn,
    mustChangePassword,
    passwordChangeReason,
    pendingPasswordChange,
    hasPermission,
    load,
    requirePasswordChange,
    clear,
    logout,
  };
});
