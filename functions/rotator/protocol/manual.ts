/**
 * Keys with no create API (Telegram, Discord, Anthropic...): keywarden cannot replace them, so it
 * reminds a person ahead of the due date, and adopts the new version once the person has added it.
 */
import { logEvent } from "../log";
import { KeyChecker } from "../rotators/rotator";
import { EtagMismatch } from "../secrets/store";
import { Busy, claim, EngineDeps, newAttemptId, Tracked } from "./engine";
import { reminderNotice } from "./notices";
import { promote, UNKNOWN_KEY_ID } from "./promote";
import { describeError } from "../describe-error";

/** Sends one reminder; the state write comes first, so concurrent ticks send it once. */
export async function remind(
    deps: EngineDeps,
    tracked: Tracked,
    dueAt: Date,
    checker?: KeyChecker,
    schedule?: string,
): Promise<void> {
    const now = deps.now();
    const reminded = {
        ...tracked.state,
        lastReminderAt: now.toISOString(),
        lastSchedule: schedule ?? tracked.state.lastSchedule,
        lastResult: {
            outcome: "reminded",
            at: now.toISOString(),
            message: `due ${dueAt.toISOString()}`,
        },
    } as const;
    await claim(deps, tracked, reminded, "another caller sent the reminder");
    const provider = checker?.label ?? "the provider";
    logEvent(
        "WARNING",
        "reminder.due",
        `${tracked.key.id}: the ${provider} key of ${tracked.policy.bot} is due for replacement ` +
            `on ${dueAt.toISOString()}; add a new version, then call /rotate`,
        {
            bot: tracked.policy.bot,
            secret: tracked.key.id,
            version: tracked.state.current,
            dueAt: dueAt.toISOString(),
        },
    );
    await deps.notify(reminderNotice(tracked, dueAt, provider, now));
}

/** What adopting a version added by a person ended in. */
export interface AdoptOutcome {
    outcome: "adopted" | "unchanged" | "failed";
    version?: string;
    message: string;
}

/**
 * Makes the newest enabled version current when a person has added one since keywarden last
 * looked, after checking the key with the provider where a check exists.
 */
export async function adopt(
    deps: EngineDeps,
    tracked: Tracked,
    checker?: KeyChecker,
): Promise<AdoptOutcome> {
    const versions = await deps.store.listVersions(tracked.key.name);
    const newest = versions.find((v) => v.state === "ENABLED");
    if (!newest || newest.version === tracked.state.current) {
        return {
            outcome: "unchanged",
            version: tracked.state.current,
            message:
                "no new version to adopt: add the new key with `gcloud secrets versions add` first",
        };
    }
    if (tracked.state.previous) {
        return {
            outcome: "failed",
            version: newest.version,
            message:
                `version ${tracked.state.previous} ` +
                "is still in its grace period; adopt the new version once it has been retired",
        };
    }
    if (checker) {
        const key = await deps.store.access(tracked.key.name, newest.version);
        try {
            await checker.verify(key);
        } catch (error) {
            const message =
                `version ${newest.version} did not pass the ${checker.label} check ` +
                `(${describeError(error)}); it was not adopted`;
            logEvent("ERROR", "rotation.failed", `${tracked.key.id}: ${message}`, {
                bot: tracked.policy.bot,
                secret: tracked.key.id,
                version: newest.version,
            });
            return { outcome: "failed", version: newest.version, message };
        }
    }
    const attemptId = newAttemptId(deps.now());
    try {
        await promote(deps, tracked, newest.version, {
            attemptId,
            operation: "rotate",
            step: "publishing",
            startedAt: deps.now().toISOString(),
            leaseUntil: deps.now().toISOString(),
            keyId: UNKNOWN_KEY_ID,
        });
    } catch (error) {
        if (error instanceof EtagMismatch)
            throw new Busy(tracked.key.id, "another caller is adopting it");
        throw error;
    }
    return {
        outcome: "adopted",
        version: newest.version,
        message: `version ${newest.version} adopted as current`,
    };
}
