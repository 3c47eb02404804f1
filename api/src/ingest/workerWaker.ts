/**
 * Wakes the workers after inbox commits, at most once per `windowMs`. Workers claim pending batches in bulk, so one
 * wake-up serves every commit before it; a commit inside the window schedules a trailing wake-up, which therefore
 * always follows the commit it answers — no committed batch waits for the sweeper.
 */
export class WorkerWaker {
  private last = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly wake: () => void,
    private readonly windowMs: number,
  ) {}

  /** Call after a commit. */
  committed(): void {
    if (this.timer) return;
    const wait = this.windowMs - (Date.now() - this.last);
    if (wait <= 0) return this.fire();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, wait);
  }

  /** Sends a scheduled wake-up now (graceful shutdown). */
  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.fire();
  }

  private fire(): void {
    this.last = Date.now();
    this.wake();
  }
}
