import { Migration } from '@mikro-orm/migrations';

/** Referral reminders, once per kind and occasion (issue 14). */
export class Migration20261201220300_referral_reminders extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "referral_reminder" ("id" uuid not null, "created_at" timestamptz not null default now(), "referral_id" uuid not null, "kind" text check ("kind" in ('ACKNOWLEDGE', 'OUTCOME')) not null, "occasion_at" timestamptz not null, "due_at" timestamptz not null, constraint "referral_reminder_pkey" primary key ("id"));`);
    this.addSql(`alter table "referral_reminder" add constraint "referral_reminder_once" unique ("referral_id", "kind", "occasion_at");`);
    this.addSql(`alter table "referral_reminder" add constraint "referral_reminder_referral_id_foreign" foreign key ("referral_id") references "referral" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "referral_reminder" cascade;`);
  }
}
