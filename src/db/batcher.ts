/**
 * Group commit: work handed in one item at a time by concurrent callers is run in batches, at most
 * `maxRunning` at once. Items handed in during the same turn of the event loop, and those arriving
 * while batches run, wait for the next batch, so batches grow with the load and a lone item goes
 * at once. Each caller's promise settles with its own item's result, after its batch has finished.
 */
export class Batcher<Item, Result> {
  private readonly waiting: { item: Item; settle: (result: PromiseSettledResult<Result>) => void }[] = [];
  private running = 0;
  private dispatchScheduled = false;

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
      if (this.dispatchScheduled) return;
      this.dispatchScheduled = true;
      setImmediate(() => {
        this.dispatchScheduled = false;
        this.dispatch();
      });
    });
  }

  private dispatch(): void {
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
          this.dispatch();
        });
    }
  }
}

const settled = <Result>(promise: Promise<Result>): Promise<PromiseSettledResult<Result>> =>
  promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );

/**
 * Runs items together (one transaction); when that fails, runs each alone, one after the other,
 * so one item the database refuses neither fails nor carries the others. An outage (an error no
 * item caused) fails them all at once instead.
 */
export async function togetherOrAlone<Item, Result>(
  items: Item[],
  together: (items: Item[]) => Promise<Result[]>,
  alone: (item: Item) => Promise<Result>,
  isOutage: (error: unknown) => boolean = () => false,
): Promise<PromiseSettledResult<Result>[]> {
  try {
    return (await together(items)).map((value) => ({ status: 'fulfilled', value }));
  } catch (error) {
    if (isOutage(error)) return items.map(() => ({ status: 'rejected', reason: error }));
    const results: PromiseSettledResult<Result>[] = [];
    for (const item of items) results.push(await settled(alone(item)));
    return results;
  }
}
