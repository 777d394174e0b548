import type { EntityManager } from '@mikro-orm/postgresql';

export interface InboxBacklog {
  counts: { source: string; state: string; count: number }[];
  /** Per source, the age of the oldest message still waiting for its import. */
  oldest: { source: string; ageSeconds: number }[];
}

/** The inbox by source and state, for /metrics: a stuck or failed message shows as a number. */
export async function inboxBacklog(em: EntityManager): Promise<InboxBacklog> {
  const connection = em.getConnection();
  const counts = await connection.execute<{ source: string; state: string; count: string }[]>(
    'select source, state, count(*) as count from inbox_message group by source, state',
  );
  const oldest = await connection.execute<{ source: string; age: string }[]>(
    "select source, extract(epoch from now() - min(received_at)) as age from inbox_message where state = 'RECEIVED' group by source",
  );
  return {
    counts: counts.map((row) => ({ source: row.source, state: row.state, count: Number(row.count) })),
    oldest: oldest.map((row) => ({ source: row.source, ageSeconds: Number(row.age) })),
  };
}
