import { Migration } from '@mikro-orm/migrations';

/**
 * Pharmacy delivery webhooks: the sources that sign them (secrets sealed at rest), each fill's
 * delivery with its events, and medication alerts (raised once per kind and subject). Any change to
 * a source or secret notifies `webhook_sources_changed` on commit, so API processes forget the
 * secrets they keep at once (a retired secret verifies nothing from the next webhook on).
 */
export class Migration20261201213000_pharmacy_deliveries extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "delivery" ("id" uuid not null, "created_at" timestamptz not null default now(), "prescription_id" uuid not null, "patient_id" uuid not null, "source_organization_id" uuid not null, "categories" text[] not null, "fill_number" smallint not null, "status" text check ("status" in ('RECEIVED', 'PROCESSING', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION', 'RETURNED')) not null, "status_occurred_at" timestamptz not null, "shipment" jsonb null, "signature" jsonb null, "reason" jsonb null, "late_after" timestamptz null, constraint "delivery_pkey" primary key ("id"));`);
    this.addSql(`create index "delivery_patient_id_index" on "delivery" ("patient_id");`);
    this.addSql(`create index "delivery_late_after_index" on "delivery" ("late_after");`);
    this.addSql(`alter table "delivery" add constraint "delivery_prescription_id_fill_number_unique" unique ("prescription_id", "fill_number");`);

    this.addSql(`create table "medication_alert" ("id" uuid not null, "created_at" timestamptz not null default now(), "patient_id" uuid not null, "prescription_id" uuid not null, "delivery_id" uuid null, "source_organization_id" uuid not null, "categories" text[] not null, "kind" text check ("kind" in ('DELIVERY_LATE', 'DELIVERY_EXCEPTION', 'DELIVERY_RETURNED', 'CONTROLLED_DELIVERY_UNSIGNED', 'NOT_DISPENSED', 'REFILL_LATE')) not null, "subject_key" varchar(200) not null, "urgency" text check ("urgency" in ('ROUTINE', 'URGENT')) not null, "reason" varchar(300) not null, "acknowledged_at" timestamptz null, "acknowledged_by_id" uuid null, constraint "medication_alert_pkey" primary key ("id"));`);
    this.addSql(`create index "medication_alert_prescription_id_index" on "medication_alert" ("prescription_id");`);
    this.addSql(`create index "medication_alert_delivery_id_index" on "medication_alert" ("delivery_id");`);
    this.addSql(`create index "medication_alert_patient_id_created_at_index" on "medication_alert" ("patient_id", "created_at");`);
    this.addSql(`alter table "medication_alert" add constraint "medication_alert_once" unique ("kind", "subject_key");`);

    this.addSql(`create table "delivery_event" ("id" uuid not null, "created_at" timestamptz not null default now(), "delivery_id" uuid not null, "source_organization_id" uuid not null, "event_id" varchar(64) not null, "status" text check ("status" in ('RECEIVED', 'PROCESSING', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION', 'RETURNED')) not null, "occurred_at" timestamptz not null, "origin" text check ("origin" in ('WEBHOOK', 'PHARMACIST')) not null, "inbox_message_id" uuid null, "recorded_by_id" uuid null, "detail" jsonb not null, constraint "delivery_event_pkey" primary key ("id"));`);
    this.addSql(`alter table "delivery_event" add constraint "delivery_event_inbox_message_id_unique" unique ("inbox_message_id");`);
    this.addSql(`create index "delivery_event_delivery_id_occurred_at_index" on "delivery_event" ("delivery_id", "occurred_at");`);
    this.addSql(`alter table "delivery_event" add constraint "delivery_event_source_organization_id_event_id_unique" unique ("source_organization_id", "event_id");`);

    this.addSql(`create table "webhook_source" ("id" uuid not null, "created_at" timestamptz not null default now(), "key" varchar(64) not null, "organization_id" uuid not null, constraint "webhook_source_pkey" primary key ("id"));`);
    this.addSql(`alter table "webhook_source" add constraint "webhook_source_key_unique" unique ("key");`);
    this.addSql(`create index "webhook_source_organization_id_index" on "webhook_source" ("organization_id");`);

    this.addSql(`create table "webhook_secret" ("id" uuid not null, "created_at" timestamptz not null default now(), "source_id" uuid not null, "sealed" text not null, "retired_at" timestamptz null, "retired_by_id" uuid null, constraint "webhook_secret_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_secret_source_id_index" on "webhook_secret" ("source_id");`);

    this.addSql(`alter table "delivery" add constraint "delivery_prescription_id_foreign" foreign key ("prescription_id") references "clinical_record" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "delivery" add constraint "delivery_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "delivery" add constraint "delivery_source_organization_id_foreign" foreign key ("source_organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "medication_alert" add constraint "medication_alert_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "medication_alert" add constraint "medication_alert_prescription_id_foreign" foreign key ("prescription_id") references "clinical_record" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "medication_alert" add constraint "medication_alert_delivery_id_foreign" foreign key ("delivery_id") references "delivery" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "medication_alert" add constraint "medication_alert_source_organization_id_foreign" foreign key ("source_organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "delivery_event" add constraint "delivery_event_delivery_id_foreign" foreign key ("delivery_id") references "delivery" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "delivery_event" add constraint "delivery_event_source_organization_id_foreign" foreign key ("source_organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "webhook_source" add constraint "webhook_source_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "webhook_secret" add constraint "webhook_secret_source_id_foreign" foreign key ("source_id") references "webhook_source" ("id") on update cascade on delete cascade;`);

    this.addSql(`create function webhook_sources_changed_notify() returns trigger language plpgsql as $$
      begin perform pg_notify('webhook_sources_changed', ''); return null; end $$;`);
    this.addSql(`create trigger webhook_source_changed after insert or update or delete or truncate on "webhook_source" for each statement execute function webhook_sources_changed_notify();`);
    this.addSql(`create trigger webhook_secret_changed after insert or update or delete or truncate on "webhook_secret" for each statement execute function webhook_sources_changed_notify();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists webhook_secret_changed on "webhook_secret";`);
    this.addSql(`drop trigger if exists webhook_source_changed on "webhook_source";`);
    this.addSql(`drop function if exists webhook_sources_changed_notify();`);
    this.addSql(`alter table "medication_alert" drop constraint "medication_alert_delivery_id_foreign";`);

    this.addSql(`alter table "delivery_event" drop constraint "delivery_event_delivery_id_foreign";`);

    this.addSql(`alter table "webhook_secret" drop constraint "webhook_secret_source_id_foreign";`);

    this.addSql(`drop table if exists "delivery" cascade;`);

    this.addSql(`drop table if exists "medication_alert" cascade;`);

    this.addSql(`drop table if exists "delivery_event" cascade;`);

    this.addSql(`drop table if exists "webhook_source" cascade;`);

    this.addSql(`drop table if exists "webhook_secret" cascade;`);
  }

}
