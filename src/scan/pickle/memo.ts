import type { PValue } from './values.js';

/**
 * The unpickler's memo. Dense indices (PUT n, MEMOIZE) go to an array; hostile sparse ones
 * (LONG_BINPUT 0xffffffff) to a map, so a single opcode cannot make the scanner allocate gigabytes.
 */
export class Memo {
  private dense: PValue[] = [];
  private sparse: Map<number, PValue> | undefined;
  /** Entries stored: the index MEMOIZE uses next, and what the memo limit counts. */
  size = 0;

  get(index: number): PValue | undefined {
    if (index < this.dense.length) {
      const value = this.dense[index];
      if (value !== undefined) return value;
    }
    return this.sparse?.get(index);
  }

  put(index: number, value: PValue): void {
    if (index <= this.dense.length) {
      if (index === this.dense.length) {
        this.dense.push(value);
        this.size++;
      } else {
        if (this.dense[index] === undefined) this.size++;
        this.dense[index] = value;
      }
      return;
    }
    this.sparse ??= new Map();
    if (!this.sparse.has(index)) this.size++;
    this.sparse.set(index, value);
  }

  /** Entries kept in the dense array (for tests of the sparse path). */
  get denseLength(): number {
    return this.dense.length;
  }
}
