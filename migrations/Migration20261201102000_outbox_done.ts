import { Migration } from '@mikro-orm/migrations';

/** An outbox row is done when its job's effect is committed; relayed rows not done are reconciled against Redis. */
export class Migration20261201102000_outbox_done extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "outbox_message" add column "done_at" timestamptz null;`);
    // Rows relayed before this change ran their jobs under the old rule: they count as done.
    this.addSql(`update "outbox_message" set "done_at" = "relayed_at" where "relayed_at" is not null;`);
    this.addSql(`create index "outbox_message_unfinished_idx" on "outbox_message" ("relayed_at") where "done_at" is null and "relayed_at" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "outbox_message_unfinished_idx";`);
    this.addSql(`alter table "outbox_message" drop column "done_at";`);
  }

}
