import { Entity, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Organization } from '../organizations/organization.entity';
import { Patient } from './patient.entity';

/** The identifier (MRN) an organization uses for a patient; one organization's system never gives one value to two patients. */
@ObjectType()
@Entity()
@Unique({ properties: ['organization', 'system', 'value'] })
export class PatientIdentifier extends BaseEntity {
  @ManyToOne(() => Patient, { deleteRule: 'cascade', index: true })
  patient: Rel<Patient>;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  organization: Rel<Organization>;

  @Field()
  @Property({ type: 'string', length: 100 })
  value: string;

  @Field({ description: 'The system or assigning authority within the organization; empty for its own.' })
  @Property({ type: 'string', length: 200, default: '' })
  system: string;

  constructor(patient: Rel<Patient>, organization: Rel<Organization>, value: string, system = '') {
    super();
    this.patient = patient;
    this.organization = organization;
    this.value = value;
    this.system = system;
  }
}
