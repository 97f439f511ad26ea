import { ElMessage, ElMessageBox } from 'element-plus';
import type { BatchResult } from '@cityops/contracts';
import { showBatchResult } from '@/components/crud/batch-result';
import type { RowAction } from '@/components/crud/row-action';

/** 停用 rather than 禁用: the word rules, API keys and log alert policies use (devices say 禁用). */
export const ACTION_LABELS: Record<RowAction, string> = { enable: '启用', disable: '停用', delete: '删除' };

/** How an action asks: 启用 plainly, others as a warning, the irreversible ones with a red button. */
export type ConfirmTone = 'info' | 'warning' | 'danger';
export const toneOf = (action: string): ConfirmTone => (action === 'enable' ? 'info' : action === 'delete' || action === 'deregister' ? 'danger' : 'warning');

/** Asks before an action; the confirm button says what will happen (`label`). Resolves false when declined. */
export function confirmAction(message: string, label: string, tone: ConfirmTone = 'warning', title = `${label}确认`): Promise<boolean> {
  return ElMessageBox.confirm(message, title, {
    type: tone === 'info' ? 'info' : 'warning',
    confirmButtonText: label,
    cancelButtonText: '取消',
    confirmButtonClass: tone === 'danger' ? 'el-button--danger' : undefined,
  }).then(
    () => true,
    () => false,
  );
}

/**
 * An action on some rows (one, or the selection) after asking: `run` does it, then the outcome is told
 * (a message, or each failed row with its reason). Resolves whether it ran (failures are shown globally).
 */
export async function batchAfterConfirm<R extends { id: string; name: string }>(
  rows: R[],
  action: string,
  label: string,
  message: string,
  run: (ids: string[]) => Promise<BatchResult>,
): Promise<boolean> {
  if (!(await confirmAction(message, label, toneOf(action)))) return false;
  try {
    const names = new Map(rows.map((r) => [r.id, r.name]));
    await showBatchResult(label, await run(rows.map((r) => r.id)), (id) => names.get(id) ?? id);
    return true;
  } catch {
    return false;
  }
}

/** 删除 one record after asking: `remove` does it, then `done` is said. Resolves whether it was deleted (failures are shown globally). */
export async function deleteAfterConfirm(message: string, remove: () => Promise<unknown>, done: string): Promise<boolean> {
  if (!(await confirmAction(message, '删除', 'danger'))) return false;
  try {
    await remove();
  } catch {
    return false;
  }
  ElMessage.success(done);
  return true;
}
