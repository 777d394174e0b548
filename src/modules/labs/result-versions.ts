import { ResultStatus, type LabResult } from './lab-result.entity';

/**
 * OBX-11 (HL7 table 0085) as versions of one result: a final result replaces a preliminary one
 * (P, R, I, S), and a correction (C) or a cancellation (X, D, W) amends a final one. Amendments
 * share a rank: which of a correction and a deletion came last is told by their times.
 */
const statusRank: Record<ResultStatus, number> = {
  [ResultStatus.PRELIMINARY]: 0,
  [ResultStatus.FINAL]: 1,
  [ResultStatus.CORRECTED]: 2,
  [ResultStatus.CANCELLED]: 2,
};

/** What deciding which version of a result is current reads and changes: a new LabResult, or one stored (`StoredVersion`). */
export type ResultVersion = Pick<LabResult, 'id' | 'resultKey' | 'resultStatus' | 'reportedAt' | 'analyzedAt' | 'receivedAt' | 'isCurrent'> & {
  supersede(by: { id: string }): void;
};

/** Negative, zero or positive as `a` is earlier than, as recent as, or later than `b`; 0 when either is unknown. */
function compareKnownTimes(a: Date | null, b: Date | null): number {
  return a && b ? a.getTime() - b.getTime() : 0;
}

/**
 * Whether `candidate` is a later version of the same result than `current`: by status, then by
 * the lab's report time (OBR-22), then by analysis time (OBX-19). Only when the lab says nothing
 * that tells them apart does the order the hub received them in decide.
 */
export function isLaterVersion(candidate: ResultVersion, current: ResultVersion): boolean {
  const order =
    statusRank[candidate.resultStatus] - statusRank[current.resultStatus] ||
    compareKnownTimes(candidate.reportedAt, current.reportedAt) ||
    compareKnownTimes(candidate.analyzedAt, current.analyzedAt) ||
    compareKnownTimes(candidate.receivedAt, current.receivedAt);
  return order >= 0;
}

const later = <V extends ResultVersion>(a: V, b: V) => (isLaterVersion(b, a) ? b : a);

function byResultKey<V extends ResultVersion>(versions: V[]): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const version of versions) groups.set(version.resultKey!, [...(groups.get(version.resultKey!) ?? []), version]);
  return groups;
}

/**
 * Adds `arrived` to the versions of results the patient already has, keeping exactly one current
 * per result key: whichever is latest by `isLaterVersion`, whatever order they were imported in.
 * `currentVersions` are the versions that were current before (more than one only in data from
 * before this rule); the others are superseded by the latest.
 */
export function settleCurrentVersions(currentVersions: ResultVersion[], arrived: ResultVersion[]): void {
  const currentByKey = byResultKey(currentVersions);
  for (const result of arrived) {
    const competing = [...(currentByKey.get(result.resultKey!) ?? []), result];
    const latest = competing.reduce(later);
    for (const version of competing) if (version !== latest) version.supersede(latest);
    currentByKey.set(result.resultKey!, [latest]);
  }
}

/**
 * After some versions were removed (their message was on the wrong patient), of each result's
 * `remaining` versions the latest is current again, and the ones a removed version had replaced
 * are replaced by it.
 */
export function settleAfterRemoval(remaining: LabResult[], removedIds: Set<string>): void {
  for (const versions of byResultKey(remaining).values()) {
    const latest = versions.reduce(later);
    for (const version of versions) {
      const lostItsSuccessor = version.supersededById !== null && removedIds.has(version.supersededById);
      if (version === latest) {
        if (lostItsSuccessor) version.reinstate();
      } else if (version.isCurrent || lostItsSuccessor) {
        version.reinstate();
        version.supersede(latest);
      }
    }
  }
}
