import type { InboundFormat } from './inbound-format';
import { InboxSource } from './inbox-message.entity';
import { fhirBundleFormat } from './fhir/bundle.format';
import { hl7OruFormat } from './hl7/oru.format';
import { pharmacyDeliveryFormat } from '../pharmacy/delivery.format';

/** Every inbound format the pipeline takes, by the source it is filed under. */
const formats: Record<InboxSource, InboundFormat> = {
  [InboxSource.FHIR]: fhirBundleFormat,
  [InboxSource.HL7V2]: hl7OruFormat,
  [InboxSource.PHARMACY]: pharmacyDeliveryFormat,
};

export function formatOf(source: InboxSource): InboundFormat {
  const format = formats[source];
  if (!format) throw new Error(`No inbound format for ${source} messages`);
  return format;
}
