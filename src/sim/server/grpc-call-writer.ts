/**
 * Sends one call's messages, and its end, in order. An injected stall holds everything back for a while, as the
 * HTTP front's SseOutput does; once the call has ended or been cancelled, anything further is dropped.
 */
export class GrpcCallWriter {
  private held: (() => void)[] | undefined;
  private closed = false;

  constructor(private readonly stallMs: number) {}

  get isClosed(): boolean {
    return this.closed;
  }

  send(action: () => void): void {
    if (this.closed) return;
    if (this.held) this.held.push(action);
    else action();
  }

  /** End the call with `action` (end or status) after whatever is queued; nothing is sent after it. */
  close(action: () => void): void {
    this.send(() => {
      this.closed = true;
      action();
    });
  }

  /** The client cancelled: drop what is held and everything to come. */
  cancel(): void {
    this.closed = true;
    this.held = undefined;
  }

  stall(): void {
    if (this.held || this.stallMs <= 0) return;
    this.held = [];
    setTimeout(() => this.release(), this.stallMs);
  }

  private release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const action of held) {
      if (this.closed) return;
      action();
    }
  }
}
