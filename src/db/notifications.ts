import { Client } from 'pg';
import type { Logger } from 'pino';
import { within } from '../within';

export interface ListenOptions {
  databaseUrl: string;
  /** The Postgres channel (LISTEN <channel>); a plain identifier. */
  channel: string;
  /** What the connection is called in pg_stat_activity. */
  applicationName: string;
  logger: Logger;
  /** Called for each notification on the channel. */
  onNotification: () => void;
  /**
   * Called each time listening starts (and starts again after a lost connection): whatever was
   * committed while nobody listened was not notified, so catch up here.
   */
  onListening: () => void;
  /** Called when listening stops (a lost connection, or `stop`), before a reconnection is tried. */
  onLost?: () => void;
  reconnectDelayMs?: number;
  /**
   * How often the connection is asked to answer (`select 1`), and how long it has to: a connection
   * that went silent (a network partition resets nothing) counts as lost when it does not.
   */
  heartbeatMs?: number;
}

/** A promise with its resolver. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * Listens on a Postgres channel on a connection of its own, opened again `reconnectDelayMs` after
 * it is lost (closed, failed, or silent past a heartbeat), until stopped. Notifications are
 * delivered once their transaction commits.
 */
export class ChannelListener {
  private stopped = false;
  private client: Client | null = null;
  private readonly running: Promise<void>;
  private listeningNow = signal();

  constructor(private readonly options: ListenOptions) {
    this.running = this.listenUntilStopped();
  }

  /** Resolves once the channel is listened to (again, after a lost connection). */
  whenListening(): Promise<void> {
    return this.listeningNow.promise;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
    await this.running;
  }

  private async listenUntilStopped(): Promise<void> {
    const { databaseUrl, channel, applicationName, logger, reconnectDelayMs = 1000, heartbeatMs = 5000 } = this.options;
    while (!this.stopped) {
      const client = new Client({ connectionString: databaseUrl, application_name: applicationName, keepAlive: true });
      let markLost: () => void = () => undefined;
      const lost = new Promise<void>((resolve) => {
        markLost = resolve;
        client.on('error', (error) => {
          logger.warn({ err: error, channel }, 'database notifications lost; listening again shortly');
          resolve();
        });
        client.on('end', () => resolve());
      });
      let heartbeat: NodeJS.Timeout | undefined;
      client.on('notification', () => this.options.onNotification());
      try {
        await client.connect();
        await client.query(`listen ${channel}`);
        this.client = client;
        this.listeningNow.resolve();
        this.options.onListening();
        heartbeat = setInterval(() => {
          within(heartbeatMs, client.query('select 1')).catch((error: unknown) => {
            logger.warn({ err: error, channel }, 'database notifications went silent; listening again shortly');
            markLost();
          });
        }, heartbeatMs);
        if (!this.stopped) await lost;
      } catch (error) {
        logger.warn({ err: error, channel }, 'could not listen for database notifications; trying again shortly');
      } finally {
        clearInterval(heartbeat);
        this.client = null;
        this.listeningNow = signal();
        this.options.onLost?.();
        // A silent connection may never confirm its end: give up waiting rather than stall.
        await within(heartbeatMs, client.end()).catch(() => undefined);
      }
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, reconnectDelayMs));
    }
  }
}
