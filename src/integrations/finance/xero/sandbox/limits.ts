/**
 * Sliding-window call counting for the sandbox, the way Xero counts: every accepted call in the last minute (or
 * day) counts; a refused call does not. `retryAfterMs` is when the oldest counted call leaves the window.
 */
export class SlidingWindow {
  private readonly stamps: number[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly max: () => number,
  ) {}

  private prune(nowMs: number): void {
    while (this.stamps.length > 0 && (this.stamps[0] as number) <= nowMs - this.windowMs) this.stamps.shift();
  }

  /** Calls left in the window now. @example window.remaining(Date.now()) // 59 */
  remaining(nowMs: number): number {
    this.prune(nowMs);
    return Math.max(0, this.max() - this.stamps.length);
  }

  /** Milliseconds until one more call fits (0 when it fits now). @example window.retryAfterMs(Date.now()) // 0 */
  retryAfterMs(nowMs: number): number {
    this.prune(nowMs);
    if (this.stamps.length < this.max()) return 0;
    const oldest = this.stamps[this.stamps.length - this.max()] ?? nowMs;
    return Math.max(1, oldest + this.windowMs - nowMs);
  }

  /** Counts one call. @example window.take(Date.now()) */
  take(nowMs: number): void {
    this.stamps.push(nowMs);
  }
}
