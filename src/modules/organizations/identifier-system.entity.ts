import { Entity, ManyToOne, Property, type Rel, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Organization } from './organization.entity';

/**
 * A system by which other parties name the identifiers an organization assigns: the FHIR
 * `identifier.system` URI of its MRNs, or the assigning authority it has in HL7 PID-3 (CX.4). A
 * system belongs to one organization, so an inbound identifier in it names that organization's
 * own identifier (e.g. an IOP's MRN echoed back by the lab it ordered from).
 */
@Entity()
export class OrganizationIdentifierSystem extends BaseEntity {
  @ManyToOne(() => Organization, { deleteRule: 'cascade', index: true })
  organization: Rel<Organization>;

  @Unique()
  @Property({ type: 'string', length: 200 })
  system: string;

  constructor(organization: Rel<Organization>, system: string) {
    super();
    this.organization = organization;
    this.system = system;
  }
}
