import { Migration } from '@mikro-orm/migrations';

/**
 * Trusted credentials now carry the signed-in user's account (`me`: their memberships and those
 * organizations), so whatever changes that answer withdraws trust too: a membership added (not
 * only changed or removed), and an organization changed or removed.
 */
export class Migration20261201216000_account_notify extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop trigger if exists membership_credentials_changed on "membership";`);
    this.addSql(`create trigger membership_credentials_changed after insert or update or delete or truncate on "membership" for each statement execute function credentials_changed_notify();`);
    this.addSql(`create trigger organization_credentials_changed after update or delete or truncate on "organization" for each statement execute function credentials_changed_notify();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists organization_credentials_changed on "organization";`);
    this.addSql(`drop trigger if exists membership_credentials_changed on "membership";`);
    this.addSql(`create trigger membership_credentials_changed after update or delete or truncate on "membership" for each statement execute function credentials_changed_notify();`);
  }

}
