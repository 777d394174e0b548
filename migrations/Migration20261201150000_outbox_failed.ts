import { Migration } from '@mikro-orm/migrations';

/** A job that failed for good leaves its outbox row FAILED with a reason code (never content), for /metrics and the admins. */
export class Migration20261201150000_outbox_failed extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "outbox_message" add column "failed_at" timestamptz null, add column "failure_reason" varchar(200) null;`);
    this.addSql(`create index "outbox_message_failed_idx" on "outbox_message" ("queue") where "failed_at" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "outbox_message_failed_idx";`);
    this.addSql(`alter table "outbox_message" drop column "failed_at", drop column "failure_reason";`);
  }

}
