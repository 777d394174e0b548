import { isUuid } from '../db/find';

/**
 * What a live-update event carries: ids only. Events cross Redis, which is no place for PHI; each
 * subscriber re-reads the record through the policy point under their own identity.
 */
export interface LiveEvent {
  patientId: string;
  /** The record the event is about, read again by the subscription (say, the critical alert's id). */
  recordId: string;
}

/** Every live-update topic (one per subscription) and the event it carries. */
export interface LiveTopics {
  /** A critical lab result was raised; `recordId` is the CriticalAlert's. Published once the alert is committed. */
  criticalAlertRaised: LiveEvent;
  /** A pharmacy recorded a fill (any status); `recordId` is the Dispense's. Published by the `live.publish` job its transaction queued. */
  fillRecorded: LiveEvent;
  /** A delivery event changed a delivery (its status or its history); `recordId` is the Delivery's. Published as `fillRecorded` is. */
  deliveryStatusChanged: LiveEvent;
  /** A referral moved (any transition, sending included); `recordId` is the Referral's. Queued by `live.publish` in the move's transaction. */
  referralUpdated: LiveEvent;
  /**
   * Something a pharmacy's worklist shows changed on a prescription routed to it (routed, stopped, a
   * fill, a delivery event, a medication alert); `recordId` is the Prescription's. Queued by
   * `live.publish` in the change's transaction (`worklistChanged`).
   */
  pharmacyWorklistChanged: LiveEvent;
}

export type LiveTopic = keyof LiveTopics;

/** The Redis channel of a topic; the prefix (QUEUE_PREFIX) keeps deployments and test files apart. */
export function channelOf(prefix: string, topic: LiveTopic): string {
  return `${prefix}:live:${topic}`;
}

/** An event as received from Redis, if it has the shape every topic's events have; anything else is dropped. */
export function liveEventOf(received: unknown): LiveEvent | null {
  if (typeof received !== 'object' || received === null) return null;
  const { patientId, recordId } = received as Record<string, unknown>;
  if (typeof patientId !== 'string' || typeof recordId !== 'string' || !isUuid(patientId) || !isUuid(recordId)) return null;
  return { patientId, recordId };
}
