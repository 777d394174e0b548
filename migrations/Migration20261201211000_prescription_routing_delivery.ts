import { Migration } from '@mikro-orm/migrations';

/**
 * Routing prescriptions to pharmacies: the hub's prescription numbers (a sequence, scrambled into
 * `RX-` numbers by the application), organizations' webhook endpoints, the messages sent to
 * pharmacies about routed prescriptions, why and when a prescription was stopped, and a routing
 * state for one withdrawn before it was routed.
 */
export class Migration20261201211000_prescription_routing_delivery extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create sequence "prescription_number_seq" as integer minvalue 0 maxvalue 999999 start with 0 no cycle;`);

    this.addSql(`create table "organization_endpoint" ("id" uuid not null, "created_at" timestamptz not null default now(), "organization_id" uuid not null, "url" varchar(2000) not null, "sealed_secret" text not null, "previous_sealed_secret" text null, "previous_secret_until" timestamptz null, "set_at" timestamptz not null, "set_by_id" uuid null, constraint "organization_endpoint_pkey" primary key ("id"));`);
    this.addSql(`alter table "organization_endpoint" add constraint "organization_endpoint_organization_id_unique" unique ("organization_id");`);
    this.addSql(`alter table "organization_endpoint" add constraint "organization_endpoint_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "pharmacy_dispatch" ("id" uuid not null, "created_at" timestamptz not null default now(), "prescription_id" uuid not null, "pharmacy_id" uuid not null, "kind" text check ("kind" in ('ORDER', 'CANCEL', 'STOP')) not null, "status" text check ("status" in ('PENDING', 'DELIVERED', 'NO_ENDPOINT', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "last_response_status" int null, "delivered_at" timestamptz null, "failed_at" timestamptz null, constraint "pharmacy_dispatch_pkey" primary key ("id"));`);
    this.addSql(`create index "pharmacy_dispatch_prescription_id_index" on "pharmacy_dispatch" ("prescription_id");`);
    this.addSql(`alter table "pharmacy_dispatch" add constraint "pharmacy_dispatch_prescription_id_foreign" foreign key ("prescription_id") references "clinical_record" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "pharmacy_dispatch" add constraint "pharmacy_dispatch_pharmacy_id_foreign" foreign key ("pharmacy_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "clinical_record" drop constraint if exists "clinical_record_routing_check";`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_routing_check" check("routing" in ('AWAITING_CONSENT', 'ROUTED', 'WITHDRAWN'));`);
    this.addSql(`alter table "clinical_record" add column "stopped_at" timestamptz null, add column "stop_reason" varchar(500) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pharmacy_dispatch" cascade;`);
    this.addSql(`drop table if exists "organization_endpoint" cascade;`);
    this.addSql(`alter table "clinical_record" drop column "stopped_at", drop column "stop_reason";`);
    this.addSql(`update "clinical_record" set "routing" = null where "routing" = 'WITHDRAWN';`);
    this.addSql(`alter table "clinical_record" drop constraint if exists "clinical_record_routing_check";`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_routing_check" check("routing" in ('AWAITING_CONSENT', 'ROUTED'));`);
    this.addSql(`drop sequence if exists "prescription_number_seq";`);
  }

}
