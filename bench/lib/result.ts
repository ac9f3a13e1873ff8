/** One line of a benchmark's table: what was measured, the figure, and how to read it. */
export interface Row {
  readonly metric: string;
  readonly value: string;
  readonly note?: string;
}

/** A figure the issue set as a goal, and whether this run met it. */
export interface Target {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface BenchResult {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly Row[];
  readonly targets: readonly Target[];
  /** Every sample and input figure, for latest.json. */
  readonly raw: Record<string, unknown>;
}
