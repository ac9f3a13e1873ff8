/**
 * Failed authentications per client address in the current minute: past the limit, requests from
 * that address get 429 before their token is even looked up, so tokens cannot be guessed at speed.
 * In memory, per server process; the table is cleared every minute.
 */
export class FailedAuthLimiter {
  private failures = new Map<string, number>();
  private windowStart = Date.now();

  constructor(private readonly perMinute: number) {}

  private roll(): void {
    const now = Date.now();
    if (now - this.windowStart >= 60_000) {
      this.failures = new Map();
      this.windowStart = now;
    }
  }

  blocked(address: string): boolean {
    this.roll();
    return (this.failures.get(address) ?? 0) >= this.perMinute;
  }

  fail(address: string): void {
    this.roll();
    if (this.failures.size > 100_000) this.failures.clear();
    this.failures.set(address, (this.failures.get(address) ?? 0) + 1);
  }
}
