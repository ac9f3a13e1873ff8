/** One value of a dataset with where it sits: the unit every detector sees. */
export interface Cell {
  /** 0-based data row (CSV header excluded; JSON array index; JSONL and text line). */
  readonly row: number;
  /** CSV header name, or the JSON path inside the record (`user.contact.email`). */
  readonly column?: string;
  readonly value: string;
}

export type DatasetFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'text' | 'parquet';

/** A problem with one record or the file; becomes a finding, never stops the scan. */
export interface ReadIssue {
  readonly row?: number;
  readonly message: string;
}

export interface ReaderOptions {
  readonly signal: AbortSignal;
  readonly onIssue: (issue: ReadIssue) => void;
}
