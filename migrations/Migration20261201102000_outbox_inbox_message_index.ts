import { Migration } from '@mikro-orm/migrations';

/** The inbox reconciler looks up an inbound message's import jobs by the id in their payload. */
export class Migration20261201102000_outbox_inbox_message_index extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "outbox_message_inbox_message_idx" on "outbox_message" (("payload"->>'inboxMessageId'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "outbox_message_inbox_message_idx";`);
  }

}
