import { Migration } from '@mikro-orm/migrations';

export class Migration20261126170000_notification_email extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "notification" add column "email_status" text check ("email_status" in ('PENDING', 'SENT', 'FAILED')) null, add column "email_attempts" int not null default 0, add column "email_next_attempt_at" timestamptz null, add column "email_sent_at" timestamptz null;`);
    this.addSql(`create index "notification_email_undelivered_idx" on "notification" ("email_status", "email_next_attempt_at") where "email_status" in ('PENDING', 'FAILED');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "notification_email_undelivered_idx";`);
    this.addSql(`alter table "notification" drop column "email_status", drop column "email_attempts", drop column "email_next_attempt_at", drop column "email_sent_at";`);
  }

}
