import { Migration } from '@mikro-orm/migrations';

export class Migration20261126151500_consent_named_recipients extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "consent" add column "recipient_user_ids" text[] not null default '{}';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "consent" drop column "recipient_user_ids";`);
  }

}
