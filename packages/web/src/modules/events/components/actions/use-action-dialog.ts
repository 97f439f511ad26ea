import { ElMessage, ElMessageBox } from 'element-plus';
import type { ApiError } from '@/api/client';
import { showErrorOnce } from '@/api/error-handler';
import { useFormDialog } from '@/composables/use-form-dialog';

/** What every action dialog emits: closing itself, and `done` once the event has changed. */
export type ActionDialogEmit = {
  (e: 'update:visible', open: boolean): void;
  (e: 'done'): void;
};

/** Asks before something that cannot be undone; resolves false when the user declines. */
export const confirmDanger = (message: string, title: string, confirmText: string) =>
  ElMessageBox.confirm(message, title, {
    type: 'warning',
    confirmButtonText: confirmText,
    cancelButtonText: '取消',
    confirmButtonClass: 'el-button--danger',
  }).then(() => true, () => false);

/**
 * The submit of an action dialog on top of `useFormDialog`: validates, calls the server without its
 * global message, then says what happened in Chinese, closes and emits `done`. A refusal lands on
 * the form's fields (field issues, or `fallbackField` for a plain 400); a 409 (someone else acted
 * first, the state moved on) is shown and also emits `done`, so the page reloads the buttons that
 * are right now.
 */
export function useActionDialog(emit: ActionDialogEmit) {
  const form = useFormDialog();

  function onError(e: ApiError, fallbackField: string, place?: (e: ApiError) => boolean, alias: Record<string, string> = {}) {
    if (place?.(e)) return;
    if (e.fieldIssues.length) {
      // The body's field names may differ from the form's (opinion → text).
      for (const i of e.fieldIssues) {
        const key = i.path.split('.')[0] || fallbackField;
        form.serverErrors[alias[key] ?? key] = i.message;
      }
      return;
    }
    if (e.status === 400) {
      form.serverErrors[fallbackField] = e.message;
      return;
    }
    showErrorOnce(e.message);
    if (e.status === 409 || e.status === 404) {
      emit('update:visible', false);
      emit('done');
    }
  }

  /**
   * Runs `call` as the dialog's submit. `confirm` asks first (destructive actions); `place` may put
   * an error on a field of its own and return true; `alias` maps the body's field names to the form's.
   */
  function run(
    call: () => Promise<unknown>,
    o: {
      success: string;
      fallbackField: string;
      confirm?: () => Promise<boolean>;
      place?: (e: ApiError) => boolean;
      alias?: Record<string, string>;
    },
  ) {
    return form.submit(
      async () => {
        if (o.confirm && !(await o.confirm())) return;
        await call();
        ElMessage.success(o.success);
        emit('update:visible', false);
        emit('done');
      },
      (e) => onError(e, o.fallbackField, o.place, o.alias),
    );
  }

  return { ...form, run };
}
