import { Entity, Enum, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { Patient } from '../patients/patient.entity';
import { ClinicalRecord, ClinicalRecordKind, type ProvenanceInit } from './clinical-record.entity';

export enum SessionType {
  GROUP = 'GROUP',
  INDIVIDUAL = 'INDIVIDUAL',
}
registerEnumType(SessionType, { name: 'SessionType' });

export enum AttendanceStatus {
  ATTENDED = 'ATTENDED',
  LATE = 'LATE',
  ABSENT = 'ABSENT',
  EXCUSED = 'EXCUSED',
}
registerEnumType(AttendanceStatus, { name: 'AttendanceStatus' });

/** A session the patient was expected at (TREATMENT_SUMMARY; SUD when the session is SUD programming). */
@ObjectType({ implements: ClinicalRecord })
@Entity({ discriminatorValue: ClinicalRecordKind.ATTENDANCE })
export class Attendance extends ClinicalRecord {
  @Field(() => SessionType)
  @Enum({ items: () => SessionType, nullable: true })
  sessionType!: SessionType;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz', nullable: true })
  sessionAt!: Date;

  @Field(() => AttendanceStatus)
  @Enum({ items: () => AttendanceStatus, nullable: true })
  attendanceStatus!: AttendanceStatus;

  @Field({ description: 'Substance-use-disorder programming (42 CFR Part 2).' })
  @Property({ type: 'boolean', nullable: true })
  sudProgram: boolean = false;

  constructor(
    patient: Rel<Patient>,
    provenance: ProvenanceInit,
    data: { sessionType: SessionType; sessionAt: Date; status: AttendanceStatus; sudProgram?: boolean | null },
  ) {
    super();
    this.sessionType = data.sessionType;
    this.sessionAt = data.sessionAt;
    this.attendanceStatus = data.status;
    this.sudProgram = data.sudProgram ?? false;
    this.init(patient, provenance, { kind: 'ATTENDANCE', sudProgram: this.sudProgram });
  }
}
