import { Migration } from '@mikro-orm/migrations';

/** The referral letters: each version's PDF with its SHA-256, and how it was delivered (inbox, webhook). */
export class Migration20261201220200_referral_letters extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "referral_letter" ("id" uuid not null, "created_at" timestamptz not null default now(), "referral_id" uuid not null, "version" int not null, "sha256" varchar(64) not null, "bytes" bytea not null, "status" text check ("status" in ('PENDING', 'DELIVERED', 'NO_ENDPOINT', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "last_response_status" int null, "delivered_at" timestamptz null, "failed_at" timestamptz null, "delivered_to_inbox_at" timestamptz null, constraint "referral_letter_pkey" primary key ("id"));`);
    this.addSql(`alter table "referral_letter" add constraint "referral_letter_referral_id_version_unique" unique ("referral_id", "version");`);
    this.addSql(`alter table "referral_letter" add constraint "referral_letter_referral_id_foreign" foreign key ("referral_id") references "referral" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "referral_letter" cascade;`);
  }

}
