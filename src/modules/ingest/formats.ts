import type { InboundFormat } from './inbound-format';
import { InboxSource } from './inbox-message.entity';
import { fhirBundleFormat } from './fhir/bundle.format';
import { hl7OruFormat } from './hl7/oru.format';

/** Every inbound format the pipeline takes, by the source it is filed under. */
const formats: Partial<Record<InboxSource, InboundFormat>> = {
  [InboxSource.FHIR]: fhirBundleFormat,
  [InboxSource.HL7V2]: hl7OruFormat,
};

export function formatOf(source: InboxSource): InboundFormat {
  const format = formats[source];
  if (!format) throw new Error(`No inbound format for ${source} messages`);
  return format;
}
