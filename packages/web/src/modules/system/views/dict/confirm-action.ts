import { ElMessageBox } from 'element-plus';

/** Asks before a change; resolves false when the user declines. */
export const confirmAction = (message: string, title: string, danger = false) =>
  ElMessageBox.confirm(message, title, {
    type: 'warning',
    confirmButtonText: '确定',
    cancelButtonText: '取消',
    confirmButtonClass: danger ? 'el-button--danger' : undefined,
  }).then(() => true, () => false);
