import { onBeforeUnmount } from 'vue';
import { inBackground } from '@/api/client';

/**
 * Runs `tick` every `ms` while started, as background requests (an unattended screen still times
 * out), skipping ticks while the tab is hidden or the previous tick is still running. Stops with
 * the component.
 */
export function usePoll(tick: () => Promise<unknown> | unknown, ms: number) {
  let timer: ReturnType<typeof setInterval> | undefined;
  let running = false;

  async function run() {
    if (running || document.hidden) return;
    running = true;
    try {
      await inBackground(tick);
    } catch {
      // A missed tick is retried at the next one.
    } finally {
      running = false;
    }
  }

  function start() {
    stop();
    timer = setInterval(() => void run(), ms);
  }

  function stop() {
    clearInterval(timer);
    timer = undefined;
  }

  onBeforeUnmount(stop);
  return { start, stop, get active() { return timer !== undefined; } };
}
