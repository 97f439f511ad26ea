import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import { confirmAction } from './confirm-action';

/**
 * 导出 of a list: counts what the search selects first, says so when nothing matches, asks before
 * an export that the limit will cut, then downloads. `exporting` drives the button.
 */
export function useListExport(o: { noun: string; limit: number; count: () => Promise<number>; download: () => Promise<unknown> }) {
  const exporting = ref(false);

  async function run(): Promise<void> {
    if (exporting.value) return;
    exporting.value = true;
    try {
      const total = await o.count();
      if (total === 0) {
        ElMessage.warning(`没有符合当前查询条件的${o.noun}，无需导出`);
        return;
      }
      if (total > o.limit) {
        const go = await confirmAction(
          `符合条件的${o.noun}${total >= 100_000 ? '超过' : '共'} ${total} 条，超过单次导出上限 ${o.limit} 条，将只导出最新的 ${o.limit} 条。建议缩小时间范围后分批导出。是否继续？`,
          '继续导出',
          'warning',
          '导出提示',
        );
        if (!go) return;
      }
      await o.download();
      ElMessage.success(`导出成功，共 ${Math.min(total, o.limit)} 条`);
    } catch {
      // The global handler has shown the message.
    } finally {
      exporting.value = false;
    }
  }

  return { exporting, run };
}
