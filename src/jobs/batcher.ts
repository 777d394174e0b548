/**
 * Gathers work that arrives one item at a time into batches, run `maxRunning` at a time: while
 * batches run, the items that arrive wait for the next one, so batches grow with the load and a
 * lone item goes at once (group commit). Each caller gets its own item's result.
 */
export class Batcher<Item, Result> {
  private readonly waiting: { item: Item; settle: (result: PromiseSettledResult<Result>) => void }[] = [];
  private running = 0;

  constructor(
    /** Runs one batch; the results in the items' order. A rejection fails every item of the batch. */
    private readonly run: (items: Item[]) => Promise<PromiseSettledResult<Result>[]>,
    private readonly options: { maxBatch: number; maxRunning: number },
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      // The reason is the batch's own error, passed on as it came.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      this.waiting.push({ item, settle: (result) => (result.status === 'fulfilled' ? resolve(result.value) : reject(result.reason)) });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.options.maxRunning && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.running++;
      this.run(batch.map((each) => each.item))
        .then(
          (results) => batch.forEach((each, index) => each.settle(results[index])),
          (reason: unknown) => batch.forEach((each) => each.settle({ status: 'rejected', reason })),
        )
        .finally(() => {
          this.running--;
          this.next();
        });
    }
  }
}
