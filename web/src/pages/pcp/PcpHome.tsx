import { Placeholder } from '../shared/Placeholder';

export function PcpHome() {
  return <Placeholder title="My patients" />;
}
