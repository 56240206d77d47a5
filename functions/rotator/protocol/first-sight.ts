/**
 * The first tick that meets a new secret. A secret declared without an initial value has no
 * version, so a bot reading it gets nothing until a key is made: rotating it only when its period
 * is over would leave the bot keyless for a whole period. So the first tick looks at its versions
 * once: none enabled means rotate now; otherwise it records that it looked (`seenAt`), and the
 * secret follows its period from then on. Only new secrets cost this call, once each.
 */
import { RotationState } from "../state/types";
import { EtagMismatch } from "../secrets/store";
import { commit, EngineDeps, Tracked } from "./engine";
import { runAction, SecretResult } from "./secret-unit";
import { describeError } from "../describe-error";

/** Whether the function has never acted on or looked at this secret. */
export function isFirstSight(tracked: Tracked): boolean {
    const state: RotationState = tracked.state;
    return (
        tracked.policy.rotator.kind !== "manual" &&
        !state.current &&
        !state.seenAt &&
        !state.lastResult &&
        !state.pending
    );
}

/** Rotates an empty secret at once, or records that the secret has been seen. */
export async function firstSight(
    deps: EngineDeps,
    tracked: Tracked,
    schedule?: string,
): Promise<SecretResult> {
    let versions;
    try {
        versions = await deps.store.listVersions(tracked.key.name);
    } catch (error) {
        // Looked at again on the next tick; nothing was changed.
        return {
            secret: tracked.key.id,
            bot: tracked.policy.bot,
            action: "none",
            outcome: "error",
            message: `its versions could not be listed: ${describeError(error)}`,
        };
    }
    if (!versions.some((v) => v.state === "ENABLED")) {
        return runAction(
            deps,
            tracked,
            { kind: "rotate", dueAt: deps.now(), overdue: false },
            schedule,
        );
    }
    try {
        await commit(deps, tracked, { ...tracked.state, seenAt: deps.now().toISOString() });
    } catch (error) {
        if (!(error instanceof EtagMismatch)) throw error;
    }
    return {
        secret: tracked.key.id,
        bot: tracked.policy.bot,
        action: "none",
        outcome: "seen",
        message: "has a key already; it is rotated when its period is over",
    };
}
