import { Migration } from '@mikro-orm/migrations';

/**
 * Inbound messages keep their bytes exactly as received (never re-encoded), the character set
 * they are read in, and the hash of those bytes, which joins the sender's id in a message's
 * identity: an identical resend is the same message, a corrected one under the same id is new.
 */
export class Migration20261201100000_inbox_raw_bytes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "inbox_message" add column "raw" bytea null, add column "charset" varchar(40) not null default 'utf-8', add column "content_hash" varchar(64) null;`);
    this.addSql(`update "inbox_message" set "raw" = convert_to("body", 'UTF8');`);
    this.addSql(`update "inbox_message" set "content_hash" = encode(sha256("raw"), 'hex');`);
    this.addSql(`alter table "inbox_message" alter column "raw" set not null, alter column "content_hash" set not null, alter column "charset" drop default;`);
    this.addSql(`alter table "inbox_message" drop column "body";`);
    this.addSql(`drop index if exists "inbox_message_source_message_unique";`);
    this.addSql(`create unique index "inbox_message_identity_unique" on "inbox_message" ("source", "source_organization_id", "source_message_id", "content_hash") nulls not distinct;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "inbox_message_identity_unique";`);
    this.addSql(`alter table "inbox_message" add column "body" text null;`);
    this.addSql(`update "inbox_message" set "body" = convert_from("raw", case when "charset" = 'utf-8' then 'UTF8' else 'LATIN1' end);`);
    this.addSql(`alter table "inbox_message" alter column "body" set not null;`);
    this.addSql(`alter table "inbox_message" drop column "raw", drop column "charset", drop column "content_hash";`);
    this.addSql(`create unique index "inbox_message_source_message_unique" on "inbox_message" ("source", "source_organization_id", "source_message_id") nulls not distinct where "source_message_id" is not null;`);
  }

}
