import type { EntityManager } from '@mikro-orm/postgresql';

export type OutboxState = 'waiting' | 'queued' | 'failed';

export interface OutboxBacklog {
  /** waiting: committed, not yet in Redis; queued: in Redis, effect not committed; failed: given up for good. */
  counts: { queue: string; state: OutboxState; count: number }[];
  /** Per queue, the age of the oldest row not finished (waiting or queued). */
  oldest: { queue: string; ageSeconds: number }[];
}

/** The outbox by queue and state, for /metrics: work stuck before or after Redis shows as a number and an age. Partial indexes keep it cheap. */
export async function outboxBacklog(em: EntityManager): Promise<OutboxBacklog> {
  const connection = em.getConnection();
  const rows = await connection.execute<{ queue: string; state: OutboxState; count: string; age: string | null }[]>(
    `select queue, 'waiting' as state, count(*) as count, extract(epoch from now() - min(created_at)) as age from outbox_message where relayed_at is null group by queue
     union all
     select queue, 'queued', count(*), extract(epoch from now() - min(created_at)) from outbox_message where done_at is null and relayed_at is not null group by queue
     union all
     select queue, 'failed', count(*), null from outbox_message where failed_at is not null group by queue`,
  );
  const oldest = new Map<string, number>();
  for (const row of rows) {
    if (row.age !== null) oldest.set(row.queue, Math.max(oldest.get(row.queue) ?? 0, Number(row.age)));
  }
  return {
    counts: rows.map((row) => ({ queue: row.queue, state: row.state, count: Number(row.count) })),
    oldest: [...oldest].map(([queue, ageSeconds]) => ({ queue, ageSeconds })),
  };
}
