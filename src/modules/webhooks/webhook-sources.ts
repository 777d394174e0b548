import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { ChannelListener } from '../../db/notifications';
import type { SecretBox } from './secret-box';
import { WebhookSecret } from './webhook-source.entity';

/** The channel the webhook source and secret triggers notify (migration webhook_sources). */
export const webhookSourcesChannel = 'webhook_sources_changed';

/** What a webhook is checked against: its source's organization and current secrets (opened). */
export interface KnownSource {
  sourceId: string;
  organizationId: string;
  secrets: string[];
}

/**
 * The webhook sources by key, kept for a short while in the process so that a burst of webhooks
 * does not read and open the same secrets for each. Kept only while the process hears of changes
 * (LISTEN `webhook_sources_changed`, the mechanism trusted credentials use): any change to a
 * source or secret (a rotation, a retirement) forgets them all, so a retired secret is refused
 * from the next webhook on; while not listening, every webhook reads the database.
 */
export class WebhookSources {
  private readonly known = new Map<string, { source: KnownSource; until: number }>();
  private listener: ChannelListener | null = null;
  private listening = false;
  private generation = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly box: SecretBox,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  listen(databaseUrl: string, logger: Logger): void {
    this.listener ??= new ChannelListener({
      databaseUrl,
      channel: webhookSourcesChannel,
      applicationName: 'carebridge-webhook-sources',
      logger,
      onNotification: () => this.forgetAll(),
      onListening: () => {
        this.forgetAll();
        this.listening = true;
      },
      onLost: () => {
        this.listening = false;
        this.forgetAll();
      },
    });
  }

  whenListening(): Promise<void> {
    return this.listener?.whenListening() ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
    this.listener = null;
  }

  /**
   * Verifies a webhook with the current secrets of the source `key` names: from what the process
   * keeps when it may, and when those fail, once more from the database (a secret made a moment
   * ago counts before its notification arrives). Returns the source, or null for a key nobody has.
   */
  async verify<Check extends { valid: boolean }>(key: string, check: (secrets: string[]) => Check): Promise<{ source: KnownSource | null; check: Check }> {
    const kept = this.kept(key);
    if (kept) {
      const result = check(kept.secrets);
      if (result.valid) return { source: kept, check: result };
    }
    const source = await this.find(key);
    return { source, check: check(source?.secrets ?? []) };
  }

  private kept(key: string): KnownSource | null {
    const kept = this.listening ? this.known.get(key) : undefined;
    if (kept && kept.until > this.now()) return kept.source;
    return null;
  }

  /** The source a key names, read now, with its current secrets; null for a key nobody has. */
  async find(key: string): Promise<KnownSource | null> {
    const now = this.now();
    const generation = this.generation;
    const secrets = await this.orm.em.fork().find(WebhookSecret, { source: { key }, retiredAt: null }, { populate: ['source'], orderBy: { createdAt: 'desc' } });
    const source: KnownSource | null =
      secrets.length === 0
        ? null
        : { sourceId: secrets[0].source.id, organizationId: secrets[0].source.organization.id, secrets: secrets.map((secret) => this.box.open(secret.sealed)) };
    // Unknown keys are not kept: anyone can send them.
    if (source && this.listening && generation === this.generation && this.ttlSeconds > 0) this.known.set(key, { source, until: now + this.ttlSeconds * 1000 });
    return source;
  }

  private forgetAll(): void {
    this.generation += 1;
    this.known.clear();
  }
}
