import { Entity, Enum, Property, Utils, wrap } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';

export enum OrganizationKind {
  IOP = 'IOP',
  PRIMARY_CARE = 'PRIMARY_CARE',
  PHARMACY = 'PHARMACY',
  LAB = 'LAB',
  LOCAL_PROVIDER = 'LOCAL_PROVIDER',
}
registerEnumType(OrganizationKind, { name: 'OrganizationKind' });

@ObjectType()
@Entity()
export class Organization extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 200 })
  name: string;

  @Field(() => OrganizationKind)
  @Enum({ items: () => OrganizationKind })
  kind: OrganizationKind;

  constructor(name: string, kind: OrganizationKind) {
    super();
    this.name = name;
    this.kind = kind;
  }
}

/** An organization as the read path gives it: the fields its GraphQL type shows, no ORM state. */
export type OrganizationRow = Pick<Organization, 'id' | 'name' | 'kind' | 'createdAt'>;

/**
 * The organization itself when it was read with what links to it (a plain row, or an entity that
 * is loaded); null for a reference that only knows its id, which a loader must fetch.
 */
export function readInFull(organization: OrganizationRow | { id: string }): OrganizationRow | null {
  if (Utils.isEntity<Organization>(organization)) return wrap(organization).isInitialized() ? organization : null;
  return isRow(organization) ? organization : null;
}

const isRow = (organization: OrganizationRow | { id: string }): organization is OrganizationRow => 'kind' in organization && 'name' in organization;
