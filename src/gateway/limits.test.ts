import { describe, expect, it } from 'vitest';
import { MemoryBuckets } from './limits.js';

const limit = { requestsPerMinute: 60, burst: 2 };

describe('token buckets in memory', () => {
  it('allows a burst, refuses the next with the wait until a token, and refills over time', () => {
    const buckets = new MemoryBuckets();
    expect(buckets.take('k', limit, 1, 0).allowed).toBe(true);
    expect(buckets.take('k', limit, 1, 0).allowed).toBe(true);
    const refused = buckets.take('k', limit, 1, 0);
    expect(refused).toEqual({ allowed: false, retryAfterMs: 1_000 });
    expect(buckets.take('k', limit, 1, 999).allowed).toBe(false);
    expect(buckets.take('k', limit, 1, 1_000).allowed).toBe(true);
    // Other keys have their own buckets.
    expect(buckets.take('other', limit, 1, 1_000).allowed).toBe(true);
  });

  it('lets a cost drive the bucket below zero and a cost of 0 only ask', () => {
    const buckets = new MemoryBuckets();
    expect(buckets.take('tokens', limit, 0, 0).allowed).toBe(true);
    expect(buckets.take('tokens', limit, 5, 0).allowed).toBe(true); // 2 - 5 = -3
    expect(buckets.take('tokens', limit, 0, 3_000).allowed).toBe(false); // 0 after 3 s
    expect(buckets.take('tokens', limit, 0, 4_000).allowed).toBe(true); // 1 after 4 s
  });

  it('never keeps more than the burst, however long a key was idle', () => {
    const buckets = new MemoryBuckets();
    buckets.take('idle', limit, 1, 0);
    for (const allowed of [true, true, false]) expect(buckets.take('idle', limit, 1, 3_600_000).allowed).toBe(allowed);
  });
});
