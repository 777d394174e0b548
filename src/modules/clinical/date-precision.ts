import { registerEnumType } from 'type-graphql';

/** How much of a date the source knew: FHIR allows "2019", "2019-06", "2019-06-01" and times. */
export enum DatePrecision {
  YEAR = 'YEAR',
  MONTH = 'MONTH',
  DAY = 'DAY',
  SECOND = 'SECOND',
}
registerEnumType(DatePrecision, { name: 'DatePrecision' });

/** The first day a date of this precision covers, as a date column holds it ("2019-06" → "2019-06-01"). */
export function firstDay(givenDate: string): string {
  const [year, month = '01', day = '01'] = givenDate.slice(0, 10).split('-');
  return `${year}-${month}-${day}`;
}

/** A stored date shown as precisely as the source gave it ("2019-06-01" at MONTH → "2019-06"). */
export function shownAsGiven(storedDate: string, precision: DatePrecision): string {
  const length = { [DatePrecision.YEAR]: 4, [DatePrecision.MONTH]: 7, [DatePrecision.DAY]: 10, [DatePrecision.SECOND]: 10 }[precision];
  return storedDate.slice(0, length);
}
