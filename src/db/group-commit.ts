export interface GroupCommitOptions {
  /** The most items one transaction takes. */
  maxBatchSize: number;
  /** Transactions under way at once; items arriving meanwhile wait for the next one. */
  maxConcurrentBatches: number;
  /** An error that no item caused (the database is unreachable, shutting down): every item of the batch fails with it. */
  isOutage(error: unknown): boolean;
}

interface Waiting<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items handed in one at a time by concurrent callers are committed together, one
 * transaction per batch, so a burst of N requests costs one commit rather than N. Each caller's
 * promise settles only after the transaction that holds its item has committed (or failed).
 *
 * A batch that fails for a reason other than an outage is committed again one item at a time, so
 * that one item the database refuses neither fails nor acknowledges the others.
 */
export class GroupCommit<Item, Result> {
  private waiting: Waiting<Item, Result>[] = [];
  private committing = 0;
  private flushScheduled = false;

  constructor(
    /** Commits the items in one transaction; returns one result per item, in order. */
    private readonly commitBatch: (items: Item[]) => Promise<Result[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      // Items handed in during the same turn of the event loop join one batch.
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    });
  }

  private flush(): void {
    while (this.committing < this.options.maxConcurrentBatches && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatchSize);
      this.committing++;
      void this.commit(batch).finally(() => {
        this.committing--;
        this.flush();
      });
    }
  }

  private async commit(batch: Waiting<Item, Result>[]): Promise<void> {
    try {
      const results = await this.commitBatch(batch.map((each) => each.item));
      batch.forEach((each, index) => each.resolve(results[index]));
    } catch (error) {
      if (batch.length === 1 || this.options.isOutage(error)) {
        batch.forEach((each) => each.reject(error));
        return;
      }
      await Promise.all(
        batch.map(async (each) => {
          try {
            const [result] = await this.commitBatch([each.item]);
            each.resolve(result);
          } catch (alone) {
            each.reject(alone);
          }
        }),
      );
    }
  }
}
