import type { Cell } from '../readers/types.js';
import { mulberry32 } from './random.js';
import type { RowTable } from './types.js';

export interface RowCollectorOptions {
  /** Columns kept; cells of further columns are dropped and counted (default 512). */
  readonly maxColumns?: number;
  /** Characters kept of one value (default 4096). */
  readonly maxValueLength?: number;
  /** Seed of the reservoir sample (default fixed, so a file always yields the same sample). */
  readonly seed?: number;
}

/** Cells of a column-less reader (plain text lines) land in this column. */
export const textColumnName = 'text';

/**
 * Assembles the cells of a streaming reader back into rows for the poisoning indicators. Readers emit
 * the cells of one row together, rows in increasing order. Up to `maxRows` rows are held; past that a
 * uniform reservoir sample (Algorithm R, seeded) of `maxRows` rows is kept, so memory is bounded by
 * maxRows × maxColumns × maxValueLength characters whatever the size of the file.
 */
export class RowCollector {
  readonly #maxRows: number;
  readonly #maxColumns: number;
  readonly #maxValueLength: number;
  readonly #random: () => number;
  readonly #columns: string[] = [];
  readonly #columnIndex = new Map<string, number>();
  readonly #rows: (string | undefined)[][] = [];
  readonly #rowNumbers: number[] = [];
  #seen = 0;
  #current: (string | undefined)[] | undefined;
  #currentRow = -1;
  #droppedCells = 0;
  #truncatedValues = 0;

  constructor(maxRows: number, options: RowCollectorOptions = {}) {
    if (!Number.isInteger(maxRows) || maxRows < 1)
      throw new RangeError(`maxRows must be a positive integer: ${maxRows}`);
    this.#maxRows = maxRows;
    this.#maxColumns = options.maxColumns ?? 512;
    this.#maxValueLength = options.maxValueLength ?? 4096;
    this.#random = mulberry32(options.seed ?? 0x5eed_2024);
  }

  add(cell: Cell): void {
    if (this.#current === undefined || cell.row !== this.#currentRow) {
      this.#flush();
      this.#current = [];
      this.#currentRow = cell.row;
    }
    const name = cell.column ?? textColumnName;
    let index = this.#columnIndex.get(name);
    if (index === undefined) {
      if (this.#columns.length >= this.#maxColumns) {
        this.#droppedCells++;
        return;
      }
      index = this.#columns.length;
      this.#columns.push(name);
      this.#columnIndex.set(name, index);
    }
    let value = cell.value;
    if (value.length > this.#maxValueLength) {
      value = value.slice(0, this.#maxValueLength);
      this.#truncatedValues++;
    }
    this.#current[index] = value;
  }

  /** The rows held so far, in file order. Cells added afterwards start new rows. */
  table(): RowTable {
    this.#flush();
    const order = this.#rowNumbers.map((_, i) => i).sort((a, b) => this.#rowNumbers[a]! - this.#rowNumbers[b]!);
    const notes: string[] = [];
    if (this.#droppedCells > 0)
      notes.push(
        `only the first ${this.#maxColumns} columns were kept (${this.#droppedCells} cells of further columns dropped)`,
      );
    if (this.#truncatedValues > 0)
      notes.push(`${this.#truncatedValues} values longer than ${this.#maxValueLength} characters were cut short`);
    return {
      columns: [...this.#columns],
      rows: order.map((i) => this.#rows[i]!),
      sampled: this.#seen > this.#maxRows,
      totalRows: this.#seen,
      rowNumbers: order.map((i) => this.#rowNumbers[i]!),
      ...(notes.length > 0 ? { notes } : {}),
    };
  }

  #flush(): void {
    const row = this.#current;
    if (row === undefined) return;
    this.#current = undefined;
    const seen = this.#seen++;
    if (seen < this.#maxRows) {
      this.#rows.push(row);
      this.#rowNumbers.push(this.#currentRow);
      return;
    }
    const slot = Math.floor(this.#random() * (seen + 1));
    if (slot < this.#maxRows) {
      this.#rows[slot] = row;
      this.#rowNumbers[slot] = this.#currentRow;
    }
  }
}
