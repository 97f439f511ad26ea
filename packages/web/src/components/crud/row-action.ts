import { ElMessageBox } from 'element-plus';

/** The three actions a managed row offers, one row or many at once. */
export type RowAction = 'enable' | 'disable' | 'delete';

export const ROW_ACTION_LABELS: Record<RowAction, string> = { enable: '启用', disable: '禁用', delete: '删除' };

/**
 * Asks before 启用/禁用/删除: the confirm button says what will happen (red for 删除).
 * Resolves false when the user declines.
 */
export async function confirmRowAction(message: string, title: string, action: RowAction): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, title, {
      type: action === 'enable' ? 'info' : 'warning',
      confirmButtonText: ROW_ACTION_LABELS[action],
      cancelButtonText: '取消',
      confirmButtonClass: action === 'delete' ? 'el-button--danger' : undefined,
    });
    return true;
  } catch {
    return false;
  }
}
