import { Entity, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { User } from '../users/user.entity';

/**
 * An in-app message to one user. It names what happened and the record's id, never PHI.
 * `sourceKey` (the job that made it) keeps a redelivered job from notifying twice.
 */
@ObjectType()
@Entity()
@Unique({ properties: ['sourceKey', 'recipient'] })
export class Notification extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade', index: true })
  recipient: Rel<User>;

  @Field()
  @Property({ type: 'string', length: 100 })
  kind: string;

  @Field()
  @Property({ type: 'string', length: 100 })
  subjectType: string;

  @Field()
  @Property({ type: 'uuid' })
  subjectId: string;

  @Property({ type: 'string', length: 200 })
  sourceKey: string;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  readAt: Date | null = null;

  constructor(init: { recipient: Rel<User>; kind: string; subjectType: string; subjectId: string; sourceKey: string }) {
    super();
    this.recipient = init.recipient;
    this.kind = init.kind;
    this.subjectType = init.subjectType;
    this.subjectId = init.subjectId;
    this.sourceKey = init.sourceKey;
  }
}
