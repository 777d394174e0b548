import { useEffect, useRef } from 'react';
import { subscribe } from '../../api/client';
import { PortalPharmacyWorklistChangedDocument, type PortalPharmacyItemFragment } from '../../generated/graphql';

/**
 * Calls `onChange` with each prescription of the pharmacy's worklist as it changes (routed,
 * stopped, a fill, a delivery event, an alert), for as long as the page is open.
 */
export function useWorklistChanges(onChange: (item: PortalPharmacyItemFragment) => void): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => subscribe(PortalPharmacyWorklistChangedDocument, {}, ({ data }) => latest.current(data.pharmacyWorklistChanged)), []);
}
