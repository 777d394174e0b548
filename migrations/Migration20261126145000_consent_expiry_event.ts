import { Migration } from '@mikro-orm/migrations';

export class Migration20261126145000_consent_expiry_event extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "consent" alter column "expiry_event" type text using ("expiry_event"::text);`);
    this.addSql(`alter table "consent" add constraint "consent_expiry_event_check" check("expiry_event" in ('END_OF_TREATMENT'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "consent" drop constraint if exists "consent_expiry_event_check";`);

    this.addSql(`alter table "consent" alter column "expiry_event" type varchar(300) using ("expiry_event"::varchar(300));`);
  }

}
