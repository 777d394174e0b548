import { Placeholder } from '../shared/Placeholder';

export function IopHome() {
  return <Placeholder title="Program dashboard" />;
}
