import { Migration } from '@mikro-orm/migrations';

/**
 * Every statement that changes or removes users or memberships notifies channel
 * `credentials_changed` on commit, so API processes drop the credentials they trust at once: a
 * suspended membership or deactivated user is refused from the next request on. Adding rows
 * revokes nothing, so inserts do not notify.
 */
export class Migration20261201180000_credentials_notify extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function credentials_changed_notify() returns trigger language plpgsql as $$
      begin perform pg_notify('credentials_changed', ''); return null; end $$;`);
    this.addSql(`create trigger user_credentials_changed after update or delete or truncate on "app_user" for each statement execute function credentials_changed_notify();`);
    this.addSql(`create trigger membership_credentials_changed after update or delete or truncate on "membership" for each statement execute function credentials_changed_notify();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists membership_credentials_changed on "membership";`);
    this.addSql(`drop trigger if exists user_credentials_changed on "app_user";`);
    this.addSql(`drop function if exists credentials_changed_notify();`);
  }

}
