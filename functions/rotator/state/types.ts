/**
 * The function's own record of a rotated secret, kept in the annotations of the companion state
 * secret (decision 1: never in the key secret's annotations, which Pulumi writes back whole).
 *
 * Only the function writes it, always with the state secret's etag, so every write is a
 * compare-and-set: the same mechanism serialises rotations of one secret (the lock is a pending
 * attempt written with the etag the writer read).
 */

/** Annotation key on the state secret that holds the JSON below. */
export const STATE_ANNOTATION = "keywarden-state";

/** What the function knows about one version of the key's secret. */
export interface VersionRecord {
    /** The provider's ID for the key in this version (for `manual` keys: "manual"). */
    keyId: string;
    /** When the version was published or adopted. */
    publishedAt: string;
    /** The attempt that made it ("adopted" for versions added by a person). */
    attemptId: string;
    /** When the provider will stop accepting it, if it enforces an expiry. */
    expiresAt?: string;
    /**
     * When the key was revoked at the provider (or, for keys that expire on their own, retired).
     */
    retiredAt?: string;
}

/** The steps of a rotation attempt, in order; a crash leaves the last one written. */
export type AttemptStep =
    /** Lock taken; the provider may or may not have been asked for a key. */
    | "locked"
    /** The provider returned a key ID, recorded here; the key is not published. */
    | "created"
    /** About to add the secret version: a version may exist after a crash. */
    | "publishing";

/** An attempt in progress: the lock, and everything needed to finish or undo it after a crash. */
export interface PendingAttempt {
    attemptId: string;
    /** What the attempt does. */
    operation: "rotate" | "retire";
    step: AttemptStep;
    startedAt: string;
    /**
     * After this instant another caller may take the attempt over (the holder is presumed dead).
     */
    leaseUntil: string;
    /** For rotations: the name given to the provider key. */
    keyName?: string;
    /** For rotations: the provider's key ID, once known. */
    keyId?: string;
    /** For rotations: the provider-side expiry requested. */
    expiresAt?: string;
    /** CRC32C of the new key, to recognise its version after a crash without keeping the key. */
    keyCrc32c?: string;
    /** For retirements: the version being retired. */
    version?: string;
}

/** The outcome of the last thing done, shown in /tick summaries and Slack. */
export interface LastResult {
    outcome: "rotated" | "retired" | "failed" | "recovered" | "reminded";
    at: string;
    attemptId?: string;
    /** A sentence safe to show: no key material. */
    message: string;
}

/** The whole state of one rotated secret. */
export interface RotationState {
    schema: 1;
    /** Records by version number ("3"). Pruned to the live versions and the last few retired. */
    versions: Record<string, VersionRecord>;
    /** The version bots should use (also the `current` alias). */
    current?: string;
    /** The version still valid during the grace period (also the `previous` alias). */
    previous?: string;
    /** When `previous` stopped being current: it is retired after the grace period from here. */
    previousSince?: string;
    pending?: PendingAttempt;
    lastResult?: LastResult;
    /** Consecutive failed attempts, for backoff and the overdue alert. */
    failures: number;
    /** When the last failed attempt ended: the next automatic try waits a backoff from here. */
    lastFailureAt?: string;
    /** When a reminder was last sent, so that each tick does not send another. */
    lastReminderAt?: string;
    /** The last scheduled run (X-CloudScheduler-ScheduleTime) that acted on this secret. */
    lastSchedule?: string;
    /** When a tick first looked at the secret's versions (see protocol/first-sight.ts). */
    seenAt?: string;
}

/** A state with nothing recorded yet (a secret the function has never touched). */
export function emptyState(): RotationState {
    return { schema: 1, versions: {}, failures: 0 };
}
