/** A server-sent event stream read with fetch, as a browser's EventSource would receive it. */

export interface ServerEvent {
  readonly event: string;
  readonly data: unknown;
}

export interface EventLog {
  /** Every event so far, in order. */
  readonly events: ServerEvent[];
  /** The first event (already received or yet to come) named `event` whose data matches. */
  next(event: string, match?: (data: never) => boolean, timeoutMs?: number): Promise<unknown>;
  close(): void;
}

export async function openEvents(url: string): Promise<EventLog> {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  const events: ServerEvent[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          for (const wake of waiters) wake();
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // closed by close()
    }
  })();
  return {
    events,
    next(event, match = () => true, timeoutMs = 5000) {
      const find = () => events.find((e) => e.event === event && match(e.data as never))?.data;
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = find();
          if (found === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${event} event within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}
