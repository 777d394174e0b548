import { Migration } from '@mikro-orm/migrations';

export class Migration20261126171000_consent_purpose_statement extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "audit_event" drop constraint if exists "audit_event_purpose_check";`);

    this.addSql(`alter table "consent" drop constraint if exists "consent_purpose_check";`);

    this.addSql(`alter table "audit_event" add constraint "audit_event_purpose_check" check("purpose" in ('TREATMENT', 'PAYMENT', 'HEALTH_CARE_OPERATIONS', 'PATIENT_REQUEST', 'OTHER'));`);

    this.addSql(`alter table "consent" add column "purpose_statement" varchar(500) null;`);
    this.addSql(`alter table "consent" add constraint "consent_purpose_check" check("purpose" in ('TREATMENT', 'PAYMENT', 'HEALTH_CARE_OPERATIONS', 'PATIENT_REQUEST', 'OTHER'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "audit_event" drop constraint if exists "audit_event_purpose_check";`);

    this.addSql(`alter table "consent" drop constraint if exists "consent_purpose_check";`);

    this.addSql(`alter table "audit_event" add constraint "audit_event_purpose_check" check("purpose" in ('TREATMENT', 'PAYMENT', 'HEALTH_CARE_OPERATIONS', 'PATIENT_REQUEST'));`);

    this.addSql(`alter table "consent" drop column "purpose_statement";`);

    this.addSql(`alter table "consent" add constraint "consent_purpose_check" check("purpose" in ('TREATMENT', 'PAYMENT', 'HEALTH_CARE_OPERATIONS', 'PATIENT_REQUEST'));`);
  }

}
