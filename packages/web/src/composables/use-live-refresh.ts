import { onBeforeUnmount, onMounted } from 'vue';
import { inBackground } from '@/api/client';
import { LIVE_MESSAGE_EVENT } from '@/stores/messages';

/**
 * Calls `reload` when a message arrives over the live channel (`cityops:message`, dispatched by the
 * message centre), once for a burst: an action that notifies several people of one organisation
 * sends several messages at once. The reload is a background request: it does not keep the session alive.
 */
export function useLiveRefresh(reload: () => void, delayMs = 400): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onMessage = () => {
    clearTimeout(timer);
    timer = setTimeout(() => inBackground(reload), delayMs);
  };
  onMounted(() => window.addEventListener(LIVE_MESSAGE_EVENT, onMessage));
  onBeforeUnmount(() => {
    clearTimeout(timer);
    window.removeEventListener(LIVE_MESSAGE_EVENT, onMessage);
  });
}
