/**
 * Promotion: the step that makes a published version the one bots use. Moves the `current` and
 * `previous` aliases on the key's secret, then records the version and its key ID in the state
 * and clears the pending attempt. Safe to repeat: `recover` calls it again after a crash.
 */
import { logEvent } from "../log";
import { EtagMismatch } from "../secrets/store";
import { PendingAttempt, RotationState } from "../state/types";
import { commit, EngineDeps, Tracked } from "./engine";
import { rotatedNotice } from "./notices";

/** Aliases the function owns on every key secret (Pulumi ignores changes to them). */
export const CURRENT_ALIAS = "current";
export const PREVIOUS_ALIAS = "previous";

/** Key ID recorded for a version keywarden did not create (an initial value, a manual key). */
export const UNKNOWN_KEY_ID = "unknown";

const ALIAS_TRIES = 3;

/** Makes `version` current. The previous current version, if any, enters its grace period. */
export async function promote(
    deps: EngineDeps,
    tracked: Tracked,
    version: string,
    attempt: PendingAttempt,
): Promise<void> {
    const state = tracked.state;
    const previous = state.current ?? (await baselineVersion(deps, tracked, version));
    await moveAliases(deps, tracked, version, previous);

    const now = deps.now().toISOString();
    const versions = { ...state.versions };
    if (previous && !versions[previous]) {
        versions[previous] = { keyId: UNKNOWN_KEY_ID, publishedAt: now, attemptId: "initial" };
    }
    versions[version] = {
        keyId: attempt.keyId ?? UNKNOWN_KEY_ID,
        publishedAt: now,
        attemptId: attempt.attemptId,
        expiresAt: attempt.expiresAt,
    };
    const next: RotationState = {
        ...state,
        versions,
        current: version,
        previous,
        previousSince: previous ? now : undefined,
        pending: undefined,
        failures: 0,
        lastFailureAt: undefined,
        lastResult: {
            outcome: "rotated",
            at: now,
            attemptId: attempt.attemptId,
            message: `version ${version} published`,
        },
    };
    await commit(deps, tracked, next);
    logEvent(
        "NOTICE",
        "rotation.succeeded",
        `${tracked.key.id}: version ${version} is current` +
            (previous ? `; version ${previous} stays valid for the grace period` : ""),
        {
            bot: tracked.policy.bot,
            secret: tracked.key.id,
            version,
            previousVersion: previous,
            keyId: attempt.keyId,
            attemptId: attempt.attemptId,
        },
    );
    await deps.notify(rotatedNotice(tracked, version, previous, attempt));
}

/**
 * The version bots used before keywarden's first rotation (an initial value set by Pulumi or by
 * hand): the newest enabled version other than the one just published. Only the first rotation
 * of a secret pays for this call.
 */
async function baselineVersion(deps: EngineDeps, tracked: Tracked, published: string) {
    const versions = await deps.store.listVersions(tracked.key.name);
    return versions.find((v) => v.version !== published && v.state === "ENABLED")?.version;
}

async function moveAliases(deps: EngineDeps, tracked: Tracked, version: string, previous?: string) {
    for (let attempt = 1; ; attempt++) {
        // Read afresh: Pulumi may have changed labels or annotations (and so the etag) meanwhile.
        const key = (await deps.store.get(tracked.key.id)) ?? tracked.key;
        const aliases: Record<string, string> = { ...key.aliases, [CURRENT_ALIAS]: version };
        if (previous) aliases[PREVIOUS_ALIAS] = previous;
        else delete aliases[PREVIOUS_ALIAS];
        if (
            key.aliases[CURRENT_ALIAS] === version &&
            key.aliases[PREVIOUS_ALIAS] === aliases[PREVIOUS_ALIAS]
        ) {
            tracked.key = key;
            return;
        }
        try {
            const etag = await deps.store.writeAliases(key, aliases);
            tracked.key = { ...key, aliases, etag };
            return;
        } catch (error) {
            if (!(error instanceof EtagMismatch) || attempt >= ALIAS_TRIES) throw error;
        }
    }
}
