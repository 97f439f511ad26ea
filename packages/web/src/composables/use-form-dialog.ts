import { reactive, ref } from 'vue';
import { type ApiError, isApiError } from '@/api/client';
import type FormDialog from '@/components/crud/form-dialog.vue';

/**
 * State of an add/edit dialog built on `components/crud/form-dialog.vue`: bind `dialogRef` as its
 * `ref`, `saving` to its `saving`, and each field's `serverErrors[prop]` to its form item's `error`.
 */
export function useFormDialog() {
  const dialogRef = ref<InstanceType<typeof FormDialog>>();
  const saving = ref(false);
  /** The server's message per form field (first segment of the issue's path). */
  const serverErrors = reactive<Record<string, string>>({});

  function clearServerErrors(): void {
    for (const k of Object.keys(serverErrors)) delete serverErrors[k];
  }

  /**
   * Puts the error's field issues on their fields (`fallback` when an issue has no path);
   * returns whether there were any.
   */
  function showFieldIssues(e: ApiError, fallback: string): boolean {
    const issues = e.fieldIssues;
    for (const i of issues) serverErrors[i.path.split('.')[0] || fallback] = i.message;
    return issues.length > 0;
  }

  /**
   * 保存: clears the server's errors, validates the form, then runs `save` while `saving` is set.
   * Without `onError` a failure is left to the global handler (which has shown it); with it, an
   * `ApiError` is passed on (the call was made with `showError: false`) and anything else rethrown.
   */
  async function submit(save: () => Promise<void>, onError?: (e: ApiError) => void): Promise<void> {
    if (saving.value || !dialogRef.value) return;
    clearServerErrors();
    if (!(await dialogRef.value.validate())) return;
    saving.value = true;
    try {
      await save();
    } catch (e) {
      if (!onError) return;
      if (!isApiError(e)) throw e;
      onError(e);
    } finally {
      saving.value = false;
    }
  }

  return { dialogRef, saving, serverErrors, clearServerErrors, showFieldIssues, submit };
}
