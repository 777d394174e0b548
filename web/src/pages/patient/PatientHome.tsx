import { Placeholder } from '../shared/Placeholder';

export function PatientHome() {
  return <Placeholder title="My record" />;
}
