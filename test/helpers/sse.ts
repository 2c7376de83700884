/** One server-sent event as it arrived: its name, raw data and id (the resume cursor), if any. */
export interface SseEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/** Reads the named server-sent events of a fetch response, in order. */
export function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseEvent[] = [];

  const parse = () => {
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const lines = buffer.slice(0, cut).split('\n');
      buffer = buffer.slice(cut + 2);
      const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
      const event = field('event');
      // Comments (heartbeats) and the bare `retry:` line carry no event.
      if (event !== undefined) queue.push({ event, data: field('data') ?? '', id: field('id') });
    }
  };

  return {
    /** Every event up to and including the first that matches; throws when the stream ends or time runs out. */
    async until(match: (e: SseEvent) => boolean, timeoutMs = 15_000): Promise<SseEvent[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = queue.findIndex(match);
        if (index >= 0) return queue.splice(0, index + 1);
        const { value, done } = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) =>
            setTimeout(
              () =>
                reject(new Error(`no matching event in time; saw ${queue.map((e) => e.event).join(', ')}`)),
              Math.max(0, deadline - Date.now()),
            ),
          ),
        ]);
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
        parse();
      }
    },
    /** The first event that matches (earlier ones are passed over). */
    async next(match: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent> {
      return (await this.until(match, timeoutMs)).at(-1)!;
    },
    cancel: () => reader.cancel(),
  };
}
