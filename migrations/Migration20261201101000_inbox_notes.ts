import { Migration } from '@mikro-orm/migrations';

/** What an import did not take, kept with the message for its sender to read. */
export class Migration20261201101000_inbox_notes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "inbox_message" add column "notes" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "inbox_message" drop column "notes";`);
  }

}
