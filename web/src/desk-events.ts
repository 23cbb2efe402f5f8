import { useEffect, useRef } from 'react';
import { storedKey } from './api.js';

// Should the stream drop (a proxy, a restart), the page still catches up at this pace, and reconnects.
const FALLBACK_POLL_MS = 30_000;
const RECONNECT_MS = 3000;

/**
 * Calls `onChange` whenever the agent desk changes (GET /v1/agent/events, server-sent events), read
 * through fetch so that the API key travels in the Authorization header and never in a URL.
 */
export function useDeskEvents(onChange: () => void): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      try {
        const response = await fetch('/v1/agent/events', { headers: { authorization: `Bearer ${storedKey() ?? ''}` }, signal: controller.signal });
        if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          const events = buffer.split('\n\n');
          buffer = events.pop() ?? '';
          if (events.some((e) => e.startsWith('event: desk'))) latest.current();
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      if (!controller.signal.aborted) retry = setTimeout(() => void connect(), RECONNECT_MS);
    };
    void connect();
    const poll = setInterval(() => latest.current(), FALLBACK_POLL_MS);
    return () => {
      controller.abort();
      clearTimeout(retry);
      clearInterval(poll);
    };
  }, []);
}
