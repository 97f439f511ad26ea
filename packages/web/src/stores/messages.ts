import { ref } from 'vue';
import { defineStore } from 'pinia';
import { endpoints, type ChatLine, type Message, type UnreadCounts } from '@cityops/contracts';
import { api } from '@/api/client';

/** Fired on `window` for every message that arrives live (detail: the Message); lists and badges may refresh. */
export const LIVE_MESSAGE_EVENT = 'cityops:message';
/** Fired on `window` for every chat line that arrives live, sent or received (detail: the ChatLine). */
export const LIVE_CHAT_EVENT = 'cityops:chat';

const EMPTY: UnreadCounts = { count: 0, work: 0, notice: 0, chat: 0 };
/** Waits before opening the stream again after it failed, doubling up to the last. */
const RETRY_MS = [2000, 4000, 8000, 16000, 30000];
/** Ids remembered so a replayed message (reconnect) is not announced twice. */
const SEEN_MAX = 300;

/**
 * The live channel of 站内消息: one EventSource on /api/messages/stream while someone is logged in,
 * the unread counts of the header's badge, and a window event per arriving message or chat line.
 * Nothing is lost across a reconnect: the browser replays by Last-Event-ID and the counts reload.
 */
export const useMessagesStore = defineStore('messages', () => {
  const counts = ref<UnreadCounts>({ ...EMPTY });
  /** The stream is open and has said hello. */
  const connected = ref(false);
  /** The person whose conversation is on screen: their lines need no pop-up. */
  const activeChatPeer = ref<string | null>(null);

  let source: EventSource | null = null;
  let wanted = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  const seen: string[] = [];

  const firstSight = (id: string) => {
    if (seen.includes(id)) return false;
    seen.push(id);
    if (seen.length > SEEN_MAX) seen.shift();
    return true;
  };

  /**
   * Reloads the counts after a change made here (several triggers close together make one request).
   * While the stream is open the server pushes them itself (`sync` after every read or delete).
   */
  function reloadCounts(delay = 150): void {
    if (connected.value) return;
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(async () => {
      try {
        // A lost session answers 401 here, and the global handler takes the user to the login page.
        counts.value = await api.messageUnreadCount(undefined, { showError: false });
      } catch {
        // Shown elsewhere or not worth a message; the next event tries again.
      }
    }, delay);
  }

  function onMessage(e: MessageEvent<string>) {
    const m = JSON.parse(e.data) as Message;
    if (!firstSight(m.id)) return;
    // The badge follows from the `sync` event the server sends right after the message.
    window.dispatchEvent(new CustomEvent<Message>(LIVE_MESSAGE_EVENT, { detail: m }));
  }

  function onChat(e: MessageEvent<string>) {
    const line = JSON.parse(e.data) as ChatLine;
    if (!firstSight(line.id)) return;
    window.dispatchEvent(new CustomEvent<ChatLine>(LIVE_CHAT_EVENT, { detail: line }));
  }

  function open(): void {
    const es = new EventSource(endpoints.messageStream.path);
    source = es;
    // The counts come with the stream (on connecting, after each push, after changes elsewhere):
    // no request of the client's own, which would keep an idle session alive.
    const takeCounts = (e: Event) => {
      counts.value = JSON.parse((e as MessageEvent<string>).data) as UnreadCounts;
    };
    es.addEventListener('ready', (e) => {
      takeCounts(e);
      connected.value = true;
      attempt = 0;
    });
    es.addEventListener('message', onMessage);
    es.addEventListener('chat', onChat as EventListener);
    es.addEventListener('sync', takeCounts);
    es.addEventListener('end', () => {
      // The session is over (logout elsewhere, timeout): no reconnect; the count request leads to the login page.
      close();
      reloadCounts(0);
    });
    es.onerror = () => {
      connected.value = false;
      // CONNECTING: the browser retries by itself (with Last-Event-ID). CLOSED: refused, e.g. 401 or a proxy error.
      if (es.readyState !== EventSource.CLOSED || source !== es) return;
      source = null;
      reloadCounts(0);
      if (!wanted) return;
      const wait = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]!;
      retryTimer = setTimeout(() => {
        if (wanted && !source) open();
      }, wait);
    };
  }

  function close(): void {
    wanted = false;
    clearTimeout(retryTimer);
    clearTimeout(reloadTimer);
    source?.close();
    source = null;
    connected.value = false;
  }

  /** Opens the stream (after login; the layout's bell calls it). Calling it again does nothing. */
  function start(): void {
    wanted = true;
    if (!source) open();
  }

  /** Closes the stream and forgets the counts (logout). */
  function stop(): void {
    close();
    counts.value = { ...EMPTY };
    activeChatPeer.value = null;
  }

  return { counts, connected, activeChatPeer, start, stop, reloadCounts };
});
