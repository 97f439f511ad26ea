import { h } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { BatchResult } from '@cityops/contracts';

/**
 * Tells the outcome of a batch without a dialog of its own: a success message when every row went
 * through, otherwise a message box listing each failed row with its reason (rows that failed were
 * left unchanged). For a full per-row table use `batch-result.vue`.
 */
export async function showBatchResult(action: string, result: BatchResult, nameOf: (id: string) => string): Promise<void> {
  if (result.failed === 0) {
    ElMessage.success(`${action}成功，共 ${result.succeeded} 条`);
    return;
  }
  const failed = result.results.filter((r) => !r.ok);
  const message = h('div', { class: 'batch-result', 'data-test': 'batch-result' }, [
    h('p', { style: 'margin: 0 0 8px' }, `${action}完成：成功 ${result.succeeded} 条，失败 ${result.failed} 条（失败的记录未做任何修改）。`),
    h(
      'ul',
      { style: 'margin: 0; padding-left: 18px; max-height: 260px; overflow: auto' },
      failed.map((r) =>
        h('li', { style: 'line-height: 1.8' }, [h('strong', nameOf(r.id)), h('span', { style: 'color: var(--el-color-danger)' }, `：${r.message ?? '失败'}`)]),
      ),
    ),
  ]);
  await ElMessageBox.alert(message, `${action}结果`, { type: result.succeeded ? 'warning' : 'error', confirmButtonText: '知道了' }).catch(() => undefined);
}
