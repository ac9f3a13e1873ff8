import { describe, expect, it } from 'vitest';
import { AbuseTracker } from './extraction.js';

const probing = { radius: 0.01, maxRepeats: 1_000, window: 50 };
const query = (value: number) => [Float64Array.of(value, value)];

describe('abuse tracker memory', () => {
  it('keeps at most maxClients, forgetting the client seen least recently', () => {
    const tracker = new AbuseTracker(undefined, probing, 2);
    tracker.observe('a', query(1));
    tracker.observe('b', query(2));
    tracker.observe('a', query(3)); // a is now more recent than b
    tracker.observe('c', query(4)); // full: b goes
    expect(tracker.observe('a', []).queries).toBe(2);
    expect(tracker.observe('b', []).queries).toBe(0);
    expect(tracker.observe('c', []).queries).toBe(1);
  });

  it('counts every query of a client across many requests without losing its history', () => {
    const tracker = new AbuseTracker(undefined, probing, 100);
    for (let i = 0; i < 5_000; i++) tracker.observe(`client-${i % 3}`, query(i));
    expect(tracker.observe('client-0', []).queries).toBe(1_667);
  });
});
