import { Placeholder } from '../shared/Placeholder';

export function ReferralsHome() {
  return <Placeholder title="Referrals" />;
}
