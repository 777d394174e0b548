import { Placeholder } from '../shared/Placeholder';

export function AdminHome() {
  return <Placeholder title="Administration" />;
}
