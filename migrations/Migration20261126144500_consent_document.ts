import { Migration } from '@mikro-orm/migrations';

export class Migration20261126144500_consent_document extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "consent" add column "document" bytea null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "consent" drop column "document";`);
  }

}
