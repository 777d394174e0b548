import { Placeholder } from '../shared/Placeholder';

export function PharmacyHome() {
  return <Placeholder title="Pharmacy worklist" />;
}
