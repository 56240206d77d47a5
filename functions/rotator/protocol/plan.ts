/**
 * What is due for one secret at one instant: a pure function of the policy, the state and the
 * clock, so that the tick's decisions can be tested without any I/O and a tick with nothing due
 * makes no call at all.
 */
import { parseDuration } from "../policy/duration";
import { RotationPolicy } from "../policy/types";
import { RotationState } from "../state/types";

/** The default reminder lead when the policy gives none. */
export const DEFAULT_REMINDER_LEAD_MS = 7 * 24 * 3600_000;

/** Reminders about one key are repeated at most this often. */
export const REMINDER_INTERVAL_MS = 24 * 3600_000;

/** First wait after a failed attempt; doubles with each further failure. */
export const FAILURE_BACKOFF_MS = 5 * 60_000;

/** The next action for a secret. `none` means the tick makes no call for it. */
export type Action =
    | { kind: "recover" }
    | { kind: "busy"; until: Date }
    | { kind: "retire"; version: string }
    | { kind: "rotate"; dueAt: Date; overdue: boolean }
    | { kind: "remind"; dueAt: Date }
    | { kind: "none"; next?: Date; waiting?: string };

/** The durations of a policy in milliseconds. */
export interface PolicyTimes {
    period: number;
    grace: number;
    lead: number;
}

/** Reads a validated policy's durations. */
export function policyTimes(policy: RotationPolicy): PolicyTimes {
    const period = parseDuration(policy.rotationPeriod) as number;
    const grace = parseDuration(policy.gracePeriod) as number;
    const lead = policy.reminderLead
        ? (parseDuration(policy.reminderLead) as number)
        : DEFAULT_REMINDER_LEAD_MS;
    return { period, grace, lead: Math.min(lead, period) };
}

/**
 * When the current key is due for replacement: a rotation period after it was published, or
 * after the secret was created when keywarden has not published anything yet.
 */
export function dueAt(policy: RotationPolicy, state: RotationState, secretCreated?: Date): Date {
    const { period } = policyTimes(policy);
    const published = state.current ? state.versions[state.current]?.publishedAt : undefined;
    const since = published ? Date.parse(published) : (secretCreated?.getTime() ?? 0);
    return new Date(since + period);
}

/** When the previous key may be retired. */
export function retireAt(policy: RotationPolicy, state: RotationState): Date | undefined {
    if (!state.previous || !state.previousSince) return undefined;
    return new Date(Date.parse(state.previousSince) + policyTimes(policy).grace);
}

/** Decides the one next action for a secret; the tick runs it, then the next tick looks again. */
export function planSecret(
    policy: RotationPolicy,
    state: RotationState,
    now: Date,
    secretCreated?: Date,
): Action {
    if (state.pending) {
        const lease = new Date(state.pending.leaseUntil);
        return now >= lease ? { kind: "recover" } : { kind: "busy", until: lease };
    }
    const times = policyTimes(policy);
    const retireTime = retireAt(policy, state);
    if (state.previous && retireTime && now >= retireTime) {
        return { kind: "retire", version: state.previous };
    }
    const due = dueAt(policy, state, secretCreated);
    if (policy.rotator.kind === "manual") {
        const remindFrom = new Date(due.getTime() - times.lead);
        const lastReminder = state.lastReminderAt ? Date.parse(state.lastReminderAt) : 0;
        if (now >= remindFrom && now.getTime() - lastReminder >= REMINDER_INTERVAL_MS) {
            return { kind: "remind", dueAt: due };
        }
        return { kind: "none", next: remindFrom };
    }
    if (now < due) return { kind: "none", next: retireTime && retireTime < due ? retireTime : due };
    if (state.previous) {
        // A third key is never made while two are valid: the rotation waits for the retirement.
        return {
            kind: "none",
            next: retireTime,
            waiting: "previous key still in its grace period",
        };
    }
    if (state.failures > 0 && state.lastFailureAt) {
        const wait = Math.min(FAILURE_BACKOFF_MS * 2 ** (state.failures - 1), times.period / 4);
        const retryAt = new Date(Date.parse(state.lastFailureAt) + wait);
        if (now < retryAt)
            return { kind: "none", next: retryAt, waiting: "backing off after a failure" };
    }
    return { kind: "rotate", dueAt: due, overdue: isOverdue(due, now, times) };
}

/**
 * A rotation is overdue when it has been due for longer than the grace period or a day,
 * whichever is shorter: long enough to ride out a failed tick, short enough to be told before
 * a key with a hard expiry stops working.
 */
export function isOverdue(due: Date, now: Date, times: PolicyTimes): boolean {
    return now.getTime() - due.getTime() > Math.min(times.grace, 24 * 3600_000);
}
