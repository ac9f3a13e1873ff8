import { shapiroWilk } from '../../drift/index.js';

/**
 * Per-client signs of model extraction and membership probing, from the queries alone.
 *
 * Extraction follows PRADA (Juuti et al., "PRADA: Protecting against DNN Model Stealing Attacks",
 * EuroS&P 2019): for each query, the distance to the closest earlier query of the same client (kept in a
 * "growing set": queries further than a threshold from all before them) is recorded; benign clients,
 * whose queries come from the natural input distribution, give minimum distances that fit a normal
 * distribution, while synthetic queries (perturbations of seeds, Jacobian-style augmentation, line
 * searches along decision boundaries) give a skewed, clustered set. A Shapiro–Wilk W below `minW` over
 * at least `minQueries` log distances, after a warm-up of as many, raises the alarm. Unlike the paper, distances are kept per client over
 * all classes: the gateway decides before the model answers, so it does not know the predicted class.
 *
 * Probing counts near-duplicate queries (distance at most `radius` times the query's norm, or equal)
 * among a client's last `window` queries: repeating a record with small changes is how membership and
 * attribute inference estimate confidence around it.
 *
 * Memory is bounded: at most `maxClients` clients (least recently seen dropped), `maxStored` vectors and
 * `window` distances each. State is per gateway replica.
 */
export interface ExtractionSettings {
  readonly minW: number;
  readonly minQueries: number;
  readonly maxStored: number;
  /** Most recent minimum distances tested (at most 5000, the Shapiro–Wilk limit). */
  readonly window: number;
}

export interface ProbingSettings {
  readonly radius: number;
  readonly maxRepeats: number;
  readonly window: number;
}

export interface AbuseReading {
  /** Queries seen from this client (since its state was created). */
  readonly queries: number;
  /** Latest Shapiro–Wilk W over the client's minimum distances, once there are enough of them. */
  readonly extractionW: number | undefined;
  readonly extraction: boolean;
  /** Near-duplicate queries among the client's last `window`. */
  readonly nearDuplicates: number;
  readonly probing: boolean;
}

const NEVER: AbuseReading = {
  queries: 0,
  extractionW: undefined,
  extraction: false,
  nearDuplicates: 0,
  probing: false,
};

class ClientState {
  readonly stored: Float64Array[] = [];
  private next = 0;
  readonly distances: Float64Array;
  distanceCount = 0;
  queries = 0;
  /** Welford's running mean and sum of squares of the distances that grew the stored set. */
  private grownCount = 0;
  private grownMean = 0;
  private grownM2 = 0;
  threshold = 0;
  w: number | undefined;
  extraction = false;
  readonly duplicates: Uint8Array;
  duplicateCount = 0;
  probing = false;
  /** When the client was last seen, in the tracker's own count of observations. */
  seen = 0;

  constructor(window: number, probingWindow: number) {
    this.distances = new Float64Array(window);
    this.duplicates = new Uint8Array(probingWindow);
  }

  store(vector: Float64Array, distance: number, maxStored: number): void {
    if (this.stored.length < maxStored) this.stored.push(vector);
    else {
      this.stored[this.next] = vector;
      this.next = (this.next + 1) % maxStored;
    }
    if (!Number.isFinite(distance)) return;
    this.grownCount++;
    const delta = distance - this.grownMean;
    this.grownMean += delta / this.grownCount;
    this.grownM2 += delta * (distance - this.grownMean);
    const std = this.grownCount > 1 ? Math.sqrt(this.grownM2 / (this.grownCount - 1)) : 0;
    this.threshold = Math.max(this.threshold, this.grownMean - std);
  }

  /** The last `count` distances in arrival order. */
  recentDistances(): Float64Array {
    const size = this.distances.length;
    if (this.distanceCount <= size) return this.distances.subarray(0, this.distanceCount);
    const start = this.distanceCount % size;
    const out = new Float64Array(size);
    out.set(this.distances.subarray(start), 0);
    out.set(this.distances.subarray(0, start), size - start);
    return out;
  }
}

/** Euclidean distance over the features both vectors have. */
function distance(a: Float64Array, b: Float64Array): number {
  const n = Math.min(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

function norm(a: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * a[i]!;
  return Math.sqrt(sum);
}

export class AbuseTracker {
  private readonly clients = new Map<string, ClientState>();
  private observations = 0;

  constructor(
    private readonly extraction: ExtractionSettings | undefined,
    private readonly probing: ProbingSettings | undefined,
    private readonly maxClients = 10_000,
    /** Tested every this many queries once enough distances are in. */
    private readonly testEvery = 10,
  ) {}

  /** Records a client's queries and returns what its history now shows. */
  observe(client: string, vectors: readonly Float64Array[]): AbuseReading {
    if ((!this.extraction && !this.probing) || vectors.length === 0) return this.reading(this.clients.get(client));
    let state = this.clients.get(client);
    if (!state) {
      state = new ClientState(Math.min(this.extraction?.window ?? 1, 5000), this.probing?.window ?? 1);
      if (this.clients.size >= this.maxClients) this.forgetLeastRecent();
      this.clients.set(client, state);
    }
    // A count, not a re-insertion: moving the client to the end of the map on every request would
    // churn its hash table, and eviction is rare (a new client when the table is full).
    state.seen = ++this.observations;
    for (const vector of vectors) this.add(state, vector);
    return this.reading(state);
  }

  private forgetLeastRecent(): void {
    let oldest: string | undefined;
    let oldestSeen = Number.POSITIVE_INFINITY;
    for (const [client, state] of this.clients) {
      if (state.seen < oldestSeen) {
        oldestSeen = state.seen;
        oldest = client;
      }
    }
    if (oldest !== undefined) this.clients.delete(oldest);
  }

  private reading(state: ClientState | undefined): AbuseReading {
    if (!state) return NEVER;
    return {
      queries: state.queries,
      extractionW: state.w,
      extraction: state.extraction,
      nearDuplicates: state.duplicateCount,
      probing: state.probing,
    };
  }

  private add(state: ClientState, vector: Float64Array): void {
    const maxStored = this.extraction?.maxStored ?? this.probing?.window ?? 1;
    let closest = Number.POSITIVE_INFINITY;
    for (const stored of state.stored) {
      const d = distance(vector, stored);
      if (d < closest) closest = d;
    }
    state.queries++;
    if (this.probing) {
      const slot = (state.queries - 1) % state.duplicates.length;
      const duplicate = closest <= this.probing.radius * norm(vector) ? 1 : 0;
      state.duplicateCount += duplicate - state.duplicates[slot]!;
      state.duplicates[slot] = duplicate;
      if (state.duplicateCount >= this.probing.maxRepeats) state.probing = true;
    }
    if (state.stored.length === 0) {
      state.store(vector, Number.NaN, maxStored);
      return;
    }
    if (closest > state.threshold) state.store(vector, closest, maxStored);
    const settings = this.extraction;
    if (!settings) return;
    // Warm-up: while the stored set is young every distance is large and shrinking, a trend rather
    // than a distribution, so the first `minQueries` distances are not tested. Distances are tested
    // on a log scale: natural inputs give right-skewed minimum distances whose logarithms are close
    // to normal (bench/gateway-extraction.ts measured false alarms on normal clients fall from 28% to 0).
    if (state.queries <= settings.minQueries + 1) return;
    state.distances[state.distanceCount % state.distances.length] = Math.log(closest + 1e-12);
    state.distanceCount++;
    if (state.distanceCount < settings.minQueries || state.distanceCount % this.testEvery !== 0) return;
    const recent = state.recentDistances();
    const { w } = shapiroWilk(recent);
    state.w = w;
    if (w < settings.minW) state.extraction = true;
  }
}
