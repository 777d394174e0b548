import { Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Role } from '../../auth/roles';
import { Organization } from '../organizations/organization.entity';
import { User } from './user.entity';

/** A user's role in one organization; a token is honoured only while its membership is active. */
@ObjectType()
@Entity()
@Unique({ properties: ['user', 'organization', 'role'] })
export class Membership extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  @Field(() => Organization)
  @ManyToOne(() => Organization, { deleteRule: 'restrict', index: true })
  organization: Rel<Organization>;

  @Field(() => Role)
  @Enum({ items: () => Role })
  role: Role;

  @Field()
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  constructor(user: Rel<User>, organization: Rel<Organization>, role: Role) {
    super();
    this.user = user;
    this.organization = organization;
    this.role = role;
  }
}
