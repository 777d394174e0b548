import { Migration } from '@mikro-orm/migrations';

/**
 * - outbox job ids from a UUID, not the serial id (which restarts when a database is re-created
 *   while Redis still knows the old job ids);
 * - at most one active enrolment of a patient per program, enforced under concurrency;
 * - an inbox resend (same source message id) is recognised even when the source organization is
 *   null; messages without a source id are all kept.
 */
export class Migration20261126131722_hardening extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "outbox_message" add column "job_key" uuid not null default gen_random_uuid();`);
    this.addSql(`alter table "outbox_message" alter column "job_key" drop default;`);
    this.addSql(`alter table "outbox_message" add constraint "outbox_message_job_key_unique" unique ("job_key");`);

    this.addSql(
      `create unique index "enrollment_one_active_per_program" on "enrollment" ("patient_id", "program_id") where "status" = 'ACTIVE';`,
    );

    this.addSql(`alter table "inbox_message" drop constraint "inbox_message_source_source_organization_id_sourc_bbde4_unique";`);
    this.addSql(
      `create unique index "inbox_message_source_message_unique" on "inbox_message" ("source", "source_organization_id", "source_message_id") nulls not distinct where "source_message_id" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "inbox_message_source_message_unique";`);
    this.addSql(
      `alter table "inbox_message" add constraint "inbox_message_source_source_organization_id_sourc_bbde4_unique" unique ("source", "source_organization_id", "source_message_id");`,
    );
    this.addSql(`drop index "enrollment_one_active_per_program";`);
    this.addSql(`alter table "outbox_message" drop constraint "outbox_message_job_key_unique";`);
    this.addSql(`alter table "outbox_message" drop column "job_key";`);
  }
}
