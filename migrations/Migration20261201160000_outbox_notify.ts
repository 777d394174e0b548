import { Migration } from '@mikro-orm/migrations';

/**
 * Every statement that adds outbox rows notifies channel `outbox_message` on commit, whoever wrote
 * them (the ORM or plain SQL), so the relay moves them at once instead of at its next poll.
 * Postgres folds a transaction's identical notifications into one.
 */
export class Migration20261201160000_outbox_notify extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function outbox_message_notify() returns trigger language plpgsql as $$
      begin perform pg_notify('outbox_message', ''); return null; end $$;`);
    this.addSql(`create trigger outbox_message_notify after insert on "outbox_message" for each statement execute function outbox_message_notify();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists outbox_message_notify on "outbox_message";`);
    this.addSql(`drop function if exists outbox_message_notify();`);
  }

}
