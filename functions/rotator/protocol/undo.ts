/**
 * Undoing an attempt that will not be published: give every key it may have made back to the
 * provider, or, where that cannot be done, name the attempt in an alert, so that no key is left
 * behind unaccounted for.
 */
import { logEvent } from "../log";
import { Rotator } from "../rotators/rotator";
import { PendingAttempt } from "../state/types";
import { commit, EngineDeps, Tracked } from "./engine";
import { failedNotice, orphanNotice } from "./notices";
import type { RotationOutcome } from "./rotate";
import { describeError } from "../describe-error";

/**
 * Revokes the keys of an unpublished attempt: the recorded key ID, and any key found under the
 * attempt's name (a create that failed after the provider acted). Keys of the current and
 * previous versions are never touched. Returns the key IDs revoked.
 */
export async function revokeUnpublished(
    deps: EngineDeps,
    tracked: Tracked,
    rotator: Rotator,
    attempt: PendingAttempt,
    mayHaveCreated: boolean,
): Promise<string[]> {
    // Keys that expire on their own (OAuth access tokens) need no hunt and no alert.
    if (!rotator.revokes) return [];
    const protectedIds = liveKeyIds(tracked);
    const candidates = new Set<string>();
    if (attempt.keyId) candidates.add(attempt.keyId);
    let searched = false;
    let searchFailure = "";
    if (mayHaveCreated && rotator.canFindByName && attempt.keyName) {
        try {
            for (const id of await rotator.findByName(attempt.keyName)) candidates.add(id);
            searched = true;
        } catch (error) {
            searchFailure = describeError(error);
        }
    }
    const revoked: string[] = [];
    for (const keyId of candidates) {
        if (protectedIds.has(keyId)) continue;
        try {
            await rotator.revoke(keyId);
            revoked.push(keyId);
            logEvent(
                "NOTICE",
                "orphan.revoked",
                `${tracked.key.id}: revoked ${rotator.label} key ${keyId} of unfinished ` +
                    `attempt ${attempt.attemptId}`,
                {
                    bot: tracked.policy.bot,
                    secret: tracked.key.id,
                    keyId,
                    attemptId: attempt.attemptId,
                },
            );
        } catch (error) {
            await reportOrphan(deps, tracked, rotator, attempt, keyId, describeError(error));
        }
    }
    if (mayHaveCreated && candidates.size === 0 && !searched) {
        const reason = rotator.canFindByName
            ? `the provider's key list could not be read to its end: ${searchFailure}`
            : `${rotator.label} keys cannot be looked up by name`;
        await reportOrphan(deps, tracked, rotator, attempt, undefined, reason);
    }
    return revoked;
}

/** Key IDs bots may be using right now; nothing may revoke them outside retirement. */
export function liveKeyIds(tracked: Tracked): Set<string> {
    const ids = new Set<string>();
    for (const version of [tracked.state.current, tracked.state.previous]) {
        const keyId = version ? tracked.state.versions[version]?.keyId : undefined;
        if (keyId) ids.add(keyId);
    }
    return ids;
}

/** Ends an attempt as failed: clears the lock, counts the failure, alerts. */
export async function recordFailure(
    deps: EngineDeps,
    tracked: Tracked,
    attemptId: string,
    message: string,
): Promise<RotationOutcome> {
    const now = deps.now().toISOString();
    const failures = tracked.state.failures + 1;
    await commit(deps, tracked, {
        ...tracked.state,
        pending: undefined,
        failures,
        lastFailureAt: now,
        lastResult: { outcome: "failed", at: now, attemptId, message },
    });
    logEvent(
        "ERROR",
        "rotation.failed",
        `${tracked.key.id}: ${message}; the current key is unchanged`,
        {
            bot: tracked.policy.bot,
            secret: tracked.key.id,
            attemptId,
            failures,
            currentVersion: tracked.state.current,
        },
    );
    await deps.notify(failedNotice(tracked, attemptId, message, failures));
    return { outcome: "failed", attemptId, message };
}

async function reportOrphan(
    deps: EngineDeps,
    tracked: Tracked,
    rotator: Rotator,
    attempt: PendingAttempt,
    keyId: string | undefined,
    reason: string,
) {
    logEvent(
        "ALERT",
        "orphan.unresolved",
        `${tracked.key.id}: attempt ${attempt.attemptId} may have left ${rotator.label} key ` +
            `${keyId ?? `named ${attempt.keyName}`} behind (${reason}); revoke it by hand`,
        {
            bot: tracked.policy.bot,
            secret: tracked.key.id,
            attemptId: attempt.attemptId,
            keyId,
            keyName: attempt.keyName,
            expiresAt: attempt.expiresAt,
        },
    );
    await deps.notify(orphanNotice(tracked, rotator.label, attempt, keyId, reason));
}
