/**
 * Rotation: lock -> create the key at the provider -> record its ID -> verify it with itself ->
 * add the secret version -> promote it (aliases, state) -> notify.
 *
 * Each arrow is a point where the process may die. The pending attempt written at each step says
 * enough for `recover` to finish or undo the attempt, and nothing in it is key material (the key
 * travels from the provider's answer straight into the new secret version).
 */
import { parseDuration } from "../policy/duration";
import { IssuedKey, Rotator, RotatorError } from "../rotators/rotator";
import { crc32c } from "../secrets/crc32c";
import { EtagMismatch } from "../secrets/store";
import { PendingAttempt } from "../state/types";
import {
    Busy,
    claim,
    commit,
    EngineDeps,
    keyNameFor,
    later,
    newAttemptId,
    Tracked,
} from "./engine";
import { policyTimes } from "./plan";
import { promote } from "./promote";
import { recordFailure, revokeUnpublished } from "./undo";
import { describeError } from "../describe-error";

/** What a rotation ended in. */
export interface RotationOutcome {
    outcome: "rotated" | "failed";
    attemptId: string;
    version?: string;
    keyId?: string;
    message: string;
}

/** Times a freshly created key is checked before it is given up: providers take a moment. */
const VERIFY_TRIES = 3;
const VERIFY_PAUSE_MS = 500;

/** Rotates one secret. Throws `Busy` when another caller holds or takes the lock first. */
export async function rotate(
    deps: EngineDeps,
    tracked: Tracked,
    rotator: Rotator,
    schedule?: string,
): Promise<RotationOutcome> {
    const now = deps.now();
    const attemptId = newAttemptId(now);
    const keyName = keyNameFor(tracked.policy.bot, attemptId);
    const expiresAt = rotator.supportsExpiry ? keyExpiry(deps, tracked) : undefined;
    const pending: PendingAttempt = {
        attemptId,
        operation: "rotate",
        step: "locked",
        startedAt: now.toISOString(),
        leaseUntil: later(deps, deps.leaseMs),
        keyName,
        expiresAt: expiresAt?.toISOString(),
    };
    await claim(
        deps,
        tracked,
        { ...tracked.state, pending, lastSchedule: schedule ?? tracked.state.lastSchedule },
        "another rotation took the lock first",
    );

    let issued: IssuedKey;
    try {
        issued = await rotator.create({ keyName, attemptId, expiresAt });
    } catch (error) {
        // The provider may have made the key even though the call failed: hunt it by name.
        await revokeUnpublished(deps, tracked, rotator, pending, mayHaveCreated(error));
        return recordFailure(
            deps,
            tracked,
            attemptId,
            `creating the key at ${rotator.label} failed: ${describeError(error)}`,
        );
    }
    const created: PendingAttempt = {
        ...pending,
        step: "created",
        keyId: issued.keyId,
        expiresAt: issued.expiresAt?.toISOString() ?? pending.expiresAt,
    };
    try {
        await commit(deps, tracked, { ...tracked.state, pending: created });
    } catch (error) {
        // Without the lock the key cannot be published: give it back to the provider.
        await rotator.revoke(issued.keyId).catch(() => undefined);
        throw error instanceof EtagMismatch
            ? new Busy(tracked.key.id, "the lock was taken over")
            : error;
    }

    try {
        await verifyWithRetry(rotator, issued);
    } catch (error) {
        await revokeUnpublished(deps, tracked, rotator, created, true);
        return recordFailure(
            deps,
            tracked,
            attemptId,
            `the new key from ${rotator.label} did not pass its check: ${describeError(error)}`,
        );
    }

    const publishing: PendingAttempt = {
        ...created,
        step: "publishing",
        keyCrc32c: String(crc32c(issued.secret)),
    };
    await commit(deps, tracked, { ...tracked.state, pending: publishing });
    // If this call fails the version may or may not exist: the attempt stays pending and
    // `recover` tells by the checksum, instead of this code guessing.
    const version = await deps.store.addVersion(tracked.key.name, issued.secret);
    await promote(deps, tracked, version, publishing);
    return {
        outcome: "rotated",
        attemptId,
        version,
        keyId: issued.keyId,
        message: `published version ${version} with ${rotator.label} key ${issued.keyId}`,
    };
}

/**
 * False only where the provider certainly made nothing: it refused the call, or the call never
 * left (`needs-human` from a create means the request was refused before sending: a blocked
 * address, plain http, a spec that cannot be filled in), so no leftover key is hunted or alerted.
 */
function mayHaveCreated(error: unknown): boolean {
    return !(
        error instanceof RotatorError &&
        (error.code === "admin-rejected" || error.code === "limit" || error.code === "needs-human")
    );
}

async function verifyWithRetry(rotator: Rotator, key: IssuedKey) {
    for (let attempt = 1; ; attempt++) {
        try {
            return await rotator.verify(key);
        } catch (error) {
            const retryable = !(error instanceof RotatorError) || error.code !== "admin-rejected";
            if (attempt >= VERIFY_TRIES || !retryable) throw error;
            await new Promise((resolve) => setTimeout(resolve, VERIFY_PAUSE_MS * attempt));
        }
    }
}

/** The provider-side expiry for a new key, from the policy's `keyLifetime` or its default. */
function keyExpiry(deps: EngineDeps, tracked: Tracked): Date | undefined {
    const lifetime = tracked.policy.keyLifetime;
    if (lifetime === "none") return undefined;
    const times = policyTimes(tracked.policy);
    const ms = lifetime ? (parseDuration(lifetime) as number) : 2 * times.period + times.grace;
    return new Date(deps.now().getTime() + ms);
}
