/**
 * Retirement: once the grace period is over and the bot's health check passes, revoke the
 * previous key at the provider, then disable and destroy its version (destruction is delayed
 * when the secret has a `version_destroy_ttl`). Every step is safe to repeat.
 */
import { logEvent } from "../log";
import { EtagMismatch } from "../secrets/store";
import { PendingAttempt } from "../state/types";
import { claim, commit, EngineDeps, KeySource, later, newAttemptId, Tracked } from "./engine";
import { retiredNotice, retireFailedNotice } from "./notices";
import { CURRENT_ALIAS, PREVIOUS_ALIAS, UNKNOWN_KEY_ID } from "./promote";
import { describeError } from "../describe-error";

/** What a retirement ended in. */
export interface RetireOutcome {
    outcome: "retired" | "waiting" | "failed";
    version: string;
    message: string;
}

/** Retires `tracked.state.previous`. Throws `Busy` when another caller holds the lock. */
export async function retire(
    deps: EngineDeps,
    tracked: Tracked,
    source: KeySource,
    schedule?: string,
    takeover?: PendingAttempt,
): Promise<RetireOutcome> {
    const version = takeover?.version ?? tracked.state.previous;
    if (!version) return { outcome: "retired", version: "-", message: "nothing to retire" };
    if (version === tracked.state.current) {
        // Guard of last resort: the key bots use now is never revoked.
        throw new Error(`${tracked.key.id}: refusing to retire version ${version}: it is current`);
    }
    const record = tracked.state.versions[version];
    if (tracked.policy.healthUrl && !takeover) {
        const health = await deps.healthCheck(tracked.policy.healthUrl);
        if (!health.ok) {
            const message =
                `the bot's health check answers ${health.detail}; version ${version} ` +
                "stays valid until it passes";
            logEvent("WARNING", "retirement.waiting", `${tracked.key.id}: ${message}`, {
                bot: tracked.policy.bot,
                secret: tracked.key.id,
                version,
            });
            return { outcome: "waiting", version, message };
        }
    }

    // A person may have moved `current` back to this version by hand (a rollback): then it is
    // the key bots use, whatever the state says, and it must not be revoked.
    const live = await deps.store.get(tracked.key.id);
    if (live?.aliases[CURRENT_ALIAS] === version) {
        const message =
            `the ${CURRENT_ALIAS} alias points at version ${version} (moved by hand?), so it ` +
            `is not retired; move ${CURRENT_ALIAS} back to version ${tracked.state.current} or ` +
            `rotate ` +
            "once the rollback is over";
        logEvent("ERROR", "retirement.failed", `${tracked.key.id}: ${message}`, {
            bot: tracked.policy.bot,
            secret: tracked.key.id,
            version,
        });
        await deps.notify(retireFailedNotice(tracked, version, message));
        return { outcome: "failed", version, message };
    }

    const now = deps.now();
    const pending: PendingAttempt = takeover
        ? { ...takeover, leaseUntil: later(deps, deps.leaseMs) }
        : {
              attemptId: newAttemptId(now),
              operation: "retire",
              step: "locked",
              version,
              startedAt: now.toISOString(),
              leaseUntil: later(deps, deps.leaseMs),
          };
    await claim(
        deps,
        tracked,
        { ...tracked.state, pending, lastSchedule: schedule ?? tracked.state.lastSchedule },
        "another caller took the lock first",
    );

    const keyId = record?.keyId ?? UNKNOWN_KEY_ID;
    const label =
        source.mode === "automatic"
            ? source.rotator.label
            : (source.checker?.label ?? "the provider");
    let revokedAtProvider = false;
    try {
        if (source.mode === "automatic" && source.rotator.revokes && keyId !== UNKNOWN_KEY_ID) {
            await source.rotator.revoke(keyId);
            revokedAtProvider = true;
        }
        // The alias goes first: an alias may not point at a destroyed version.
        await dropPreviousAlias(deps, tracked, version);
        await deps.store.disableVersion(tracked.key.name, version);
        await deps.store.destroyVersion(tracked.key.name, version);
    } catch (error) {
        const message = `retiring version ${version} failed: ${describeError(error)}`;
        await commit(deps, tracked, {
            ...tracked.state,
            pending: undefined,
            lastResult: {
                outcome: "failed",
                at: deps.now().toISOString(),
                attemptId: pending.attemptId,
                message,
            },
        });
        logEvent("ERROR", "retirement.failed", `${tracked.key.id}: ${message}; retried next tick`, {
            bot: tracked.policy.bot,
            secret: tracked.key.id,
            version,
            keyId,
            attemptId: pending.attemptId,
        });
        await deps.notify(retireFailedNotice(tracked, version, message));
        return { outcome: "failed", version, message };
    }

    const at = deps.now().toISOString();
    const versions = {
        ...tracked.state.versions,
        [version]: {
            ...(record ?? { keyId, publishedAt: at, attemptId: "initial" }),
            retiredAt: at,
        },
    };
    await commit(deps, tracked, {
        ...tracked.state,
        versions,
        previous: undefined,
        previousSince: undefined,
        pending: undefined,
        lastResult: {
            outcome: "retired",
            at,
            attemptId: pending.attemptId,
            message: `version ${version} retired`,
        },
    });
    logEvent(
        "NOTICE",
        "retirement.succeeded",
        `${tracked.key.id}: version ${version} retired` +
            (revokedAtProvider ? ` and ${label} key ${keyId} revoked` : ""),
        { bot: tracked.policy.bot, secret: tracked.key.id, version, keyId, revokedAtProvider },
    );
    const expires = source.mode === "automatic" && !source.rotator.revokes;
    await deps.notify(retiredNotice(tracked, version, keyId, revokedAtProvider || expires, label));
    return { outcome: "retired", version, message: `version ${version} retired` };
}

async function dropPreviousAlias(deps: EngineDeps, tracked: Tracked, version: string) {
    for (let attempt = 1; attempt <= 3; attempt++) {
        const key = (await deps.store.get(tracked.key.id)) ?? tracked.key;
        if (key.aliases[PREVIOUS_ALIAS] !== version) return;
        const aliases = { ...key.aliases };
        delete aliases[PREVIOUS_ALIAS];
        try {
            await deps.store.writeAliases(key, aliases);
            return;
        } catch (error) {
            if (!(error instanceof EtagMismatch) || attempt === 3) throw error;
        }
    }
}
