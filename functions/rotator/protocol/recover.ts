/**
 * Recovery of an attempt whose holder died (its lease ran out): finish it when its key was
 * published, undo it otherwise. Afterwards the secret is exactly as if the attempt had either
 * completed or never started, except for alerts naming any key that could not be accounted for.
 */
import { logEvent } from "../log";
import { crc32c } from "../secrets/crc32c";
import { PendingAttempt } from "../state/types";
import { claim, commit, EngineDeps, KeySource, later, Tracked } from "./engine";
import { promote } from "./promote";
import { retire } from "./retire";
import { revokeUnpublished } from "./undo";

/** What recovery did. */
export interface RecoverOutcome {
    outcome: "finished" | "undone";
    attemptId: string;
    message: string;
}

/** Takes over the stale attempt of `tracked` and finishes or undoes it. */
export async function recover(
    deps: EngineDeps,
    tracked: Tracked,
    source: KeySource,
    schedule?: string,
): Promise<RecoverOutcome> {
    const stale = tracked.state.pending;
    if (!stale) return { outcome: "undone", attemptId: "-", message: "nothing pending" };
    const attempt: PendingAttempt = { ...stale, leaseUntil: later(deps, deps.leaseMs) };
    // Take the lock over with a fresh lease, so that only one caller recovers.
    await claim(
        deps,
        tracked,
        {
            ...tracked.state,
            pending: attempt,
            lastSchedule: schedule ?? tracked.state.lastSchedule,
        },
        "another caller is recovering it",
    );

    if (attempt.operation === "retire") {
        const result = await retire(deps, tracked, source, schedule, attempt);
        return report(
            tracked,
            attempt,
            result.outcome === "retired" ? "finished" : "undone",
            `retirement of version ${attempt.version} ` +
                (result.outcome === "retired" ? "finished" : "left for the next tick"),
        );
    }

    const published =
        attempt.step === "publishing" ? await findPublished(deps, tracked, attempt) : undefined;
    if (published) {
        await promote(deps, tracked, published, attempt);
        return report(
            tracked,
            attempt,
            "finished",
            `version ${published} was published before the crash; promoted it`,
        );
    }
    if (source.mode === "automatic") {
        await revokeUnpublished(deps, tracked, source.rotator, attempt, true);
    }
    await commit(deps, tracked, {
        ...tracked.state,
        pending: undefined,
        lastResult: {
            outcome: "recovered",
            at: deps.now().toISOString(),
            attemptId: attempt.attemptId,
            message: `attempt ${attempt.attemptId} undone after a crash at step ${attempt.step}`,
        },
    });
    return report(
        tracked,
        attempt,
        "undone",
        `attempt undone after a crash at step ${attempt.step}`,
    );
}

/**
 * The version the attempt added before dying, if any: a version newer than the current one,
 * enabled, whose payload has the checksum the attempt recorded. Only the lock holder adds
 * versions, so at most one can match.
 */
async function findPublished(deps: EngineDeps, tracked: Tracked, attempt: PendingAttempt) {
    const current = Number(tracked.state.current ?? 0);
    const versions = await deps.store.listVersions(tracked.key.name);
    for (const candidate of versions) {
        if (Number(candidate.version) <= current || candidate.state !== "ENABLED") continue;
        const payload = await deps.store.access(tracked.key.name, candidate.version);
        if (String(crc32c(payload)) === attempt.keyCrc32c) return candidate.version;
    }
    return undefined;
}

function report(
    tracked: Tracked,
    attempt: PendingAttempt,
    outcome: RecoverOutcome["outcome"],
    message: string,
) {
    logEvent(
        "NOTICE",
        "attempt.recovered",
        `${tracked.key.id}: ${message} (attempt ${attempt.attemptId})`,
        {
            bot: tracked.policy.bot,
            secret: tracked.key.id,
            attemptId: attempt.attemptId,
            step: attempt.step,
            operation: attempt.operation,
            outcome,
        },
    );
    return { outcome, attemptId: attempt.attemptId, message };
}
