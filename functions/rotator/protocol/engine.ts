/**
 * What every protocol step works with: the secret being handled, its policy and state, and the
 * services the steps call. Also the one way state is written (`commit`), so that every write is
 * a compare-and-set on the state secret's etag.
 */
import { randomBytes } from "node:crypto";
import { RotationPolicy } from "../policy/types";
import type { KeySource } from "../rotators";
import { encodeState } from "../state/codec";
import { RotationState } from "../state/types";
import { EtagMismatch, SecretMeta, SecretStore } from "../secrets/store";
import { Notice } from "../notify/notice";

export type { KeySource };

/** Result of a bot health check. */
export interface HealthResult {
    ok: boolean;
    /** Safe to show: a status code or an error code, never a body. */
    detail: string;
}

/** The services and settings the protocol runs with; tests pass stand-ins for the clock. */
export interface EngineDeps {
    store: SecretStore;
    /** Builds the rotator of a policy; the admin credential is read lazily, on first use. */
    keySource(policy: RotationPolicy): KeySource;
    notify(notice: Notice): Promise<void>;
    healthCheck(url: string): Promise<HealthResult>;
    now(): Date;
    /** How long a pending attempt holds the lock before another caller may take it over. */
    leaseMs: number;
    /** The fleet this function serves (the value of the managed label). */
    fleet: string;
    /** Whether policies may point rotators at http:// on loopback (sandbox and tests only). */
    allowLoopback: boolean;
}

/** One rotated secret as the protocol sees it. Updated in place as steps commit. */
export interface Tracked {
    key: SecretMeta;
    stateSecret: SecretMeta;
    policy: RotationPolicy;
    state: RotationState;
}

/** The lock was lost or never taken: another caller is working on this secret. */
export class Busy extends Error {
    constructor(
        readonly secret: string,
        detail: string,
    ) {
        super(`${secret}: ${detail}`);
        this.name = "Busy";
    }
}

/**
 * Writes the next state with the etag last read or written. Throws `EtagMismatch` when someone
 * else wrote in between: the caller has lost (or never had) the lock and must stop.
 */
export async function commit(
    deps: EngineDeps,
    tracked: Tracked,
    next: RotationState,
): Promise<void> {
    const annotations = encodeState(next);
    const etag = await deps.store.writeAnnotations(tracked.stateSecret, annotations);
    tracked.stateSecret = { ...tracked.stateSecret, etag, annotations };
    tracked.state = next;
}

/**
 * `commit` for a write that claims the secret (taking the lock, sending a reminder): when
 * another caller wrote first, this one stops with `Busy`, saying what the other is doing.
 */
export async function claim(
    deps: EngineDeps,
    tracked: Tracked,
    next: RotationState,
    otherCaller: string,
): Promise<void> {
    try {
        await commit(deps, tracked, next);
    } catch (error) {
        if (error instanceof EtagMismatch) throw new Busy(tracked.key.id, otherCaller);
        throw error;
    }
}

/** A new attempt ID: time-ordered, lowercase, safe in every provider's key names. */
export function newAttemptId(now: Date): string {
    return now.getTime().toString(36) + randomBytes(4).toString("hex");
}

/**
 * The provider-side name of a key: a fixed prefix, the bot, the attempt. Lowercase letters,
 * digits and dashes only, at most 63 characters, so it is valid for every provider (Google API
 * key IDs are the strictest) and an orphan can always be traced back to its attempt.
 */
export function keyNameFor(bot: string, attemptId: string): string {
    const slug = bot
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 30);
    return `keywarden-${slug ? slug + "-" : ""}${attemptId}`.replace(/-+$/, "");
}

/** An ISO time `ms` after now. */
export function later(deps: EngineDeps, ms: number): string {
    return new Date(deps.now().getTime() + ms).toISOString();
}
