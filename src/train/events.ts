/** Yields to the event loop (so Ctrl-C, timers and I/O are seen between batches). */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** How often {@link EventLoopYielder} yields: often enough for Ctrl-C, timers and progress bars to feel immediate. */
export const YIELD_EVERY_MS = 4;

/**
 * Yields to the event loop at most every `everyMs` milliseconds (default {@link YIELD_EVERY_MS}):
 * fit calls it after every batch. A yield costs 10-20 us (a turn of the event loop), a few
 * percent of a small model's training step, so it is taken when that much time has passed rather
 * than every batch; a batch longer than `everyMs` still yields after each one.
 */
export class EventLoopYielder {
  private last = performance.now();
  constructor(private readonly everyMs = YIELD_EVERY_MS) {}
  /** Resolves at once when less than `everyMs` passed since the last yield, else after a turn of the event loop. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < this.everyMs) return;
    await yieldToEventLoop();
    this.last = performance.now();
  }
}
