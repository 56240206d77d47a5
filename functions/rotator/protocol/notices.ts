/**
 * The Slack messages of the protocol. Each says what happened, to which bot, secret and version,
 * and what to do next; none holds a key (only versions, key IDs and attempt IDs).
 */
import { Notice } from "../notify/notice";
import { PendingAttempt } from "../state/types";
import { Tracked } from "./engine";

function base(tracked: Tracked): Record<string, string> {
    return { bot: tracked.policy.bot, secret: tracked.key.id };
}

export function rotatedNotice(
    tracked: Tracked,
    version: string,
    previous: string | undefined,
    attempt: PendingAttempt,
): Notice {
    return {
        title: `Key rotated for ${tracked.policy.bot}`,
        severity: "info",
        lines: [
            `Version ${version} of ${tracked.key.id} is now current.` +
                (previous
                    ? ` Version ${previous} stays valid for the grace period ` +
                      `(${tracked.policy.gracePeriod}).`
                    : ""),
        ],
        fields: {
            ...base(tracked),
            version,
            keyId: attempt.keyId ?? "unknown",
            attempt: attempt.attemptId,
        },
    };
}

export function failedNotice(
    tracked: Tracked,
    attemptId: string,
    message: string,
    failures: number,
): Notice {
    const current = tracked.state.current ? ` (version ${tracked.state.current})` : "";
    return {
        title: `Key rotation failed for ${tracked.policy.bot}`,
        severity: "error",
        lines: [
            message,
            `The current key${current} is unchanged and still valid. Failures in a row: ` +
                `${failures}.`,
        ],
        fields: { ...base(tracked), attempt: attemptId },
        nextStep:
            "Check the provider's status and the admin credential; the next tick retries " +
            "with backoff, or call /rotate once it is fixed.",
    };
}

export function orphanNotice(
    tracked: Tracked,
    provider: string,
    attempt: PendingAttempt,
    keyId: string | undefined,
    reason: string,
): Notice {
    return {
        title: `Possible leftover ${provider} key for ${tracked.policy.bot}`,
        severity: "error",
        lines: [
            `Attempt ${attempt.attemptId} did not finish and may have left a key behind: ` +
                `${reason}.`,
            attempt.expiresAt
                ? `If it exists, the provider expires it at ${attempt.expiresAt}.`
                : "The provider does not expire it on its own.",
        ],
        fields: {
            ...base(tracked),
            attempt: attempt.attemptId,
            keyName: attempt.keyName ?? "-",
            keyId: keyId ?? "unknown",
        },
        nextStep:
            `In ${provider}, revoke any key named ${attempt.keyName ?? attempt.attemptId}` +
            (keyId ? ` (key ID ${keyId})` : "") +
            ". Bots never received it.",
    };
}

/** A step stopped on an unexpected error (Secret Manager unavailable): the tick caught it. */
export function stoppedNotice(tracked: Tracked, action: string, message: string): Notice {
    const pending = tracked.state.pending;
    const what =
        {
            rotate: "Key rotation",
            retire: "Retiring the previous key",
            recover: "Recovering an interrupted attempt",
        }[action] ?? `The ${action} step`;
    return {
        title: `${what} stopped for ${tracked.policy.bot}`,
        severity: "error",
        lines: [
            message,
            pending
                ? `Attempt ${pending.attemptId} stays locked until ${pending.leaseUntil}; the ` +
                  "first tick after that finishes or undoes it. The current key is unchanged " +
                  "and still valid."
                : "Nothing was changed; the current key is unchanged and still valid.",
        ],
        fields: { ...base(tracked), ...(pending ? { attempt: pending.attemptId } : {}) },
        nextStep:
            "Nothing, if the next ticks succeed. If this repeats, check Secret Manager's " +
            "status page and the function's permissions on the secret.",
    };
}

export function retiredNotice(
    tracked: Tracked,
    version: string,
    keyId: string,
    revokedAtProvider: boolean,
    provider: string,
): Notice {
    return {
        title: `Previous key retired for ${tracked.policy.bot}`,
        severity: revokedAtProvider ? "info" : "warning",
        lines: [
            revokedAtProvider
                ? `${provider} key ${keyId} was revoked and version ${version} of ` +
                  `${tracked.key.id} disabled.`
                : `Version ${version} of ${tracked.key.id} was disabled, but its key was not ` +
                  `revoked at ${provider}.`,
        ],
        fields: { ...base(tracked), version, keyId },
        nextStep: revokedAtProvider
            ? undefined
            : `Revoke the old key at ${provider} by hand: keywarden did not create it, so it ` +
              "has no key ID for it.",
    };
}

export function retireFailedNotice(tracked: Tracked, version: string, message: string): Notice {
    return {
        title: `Retiring the previous key failed for ${tracked.policy.bot}`,
        severity: "error",
        lines: [message, `Version ${version} stays enabled; the current key is unaffected.`],
        fields: { ...base(tracked), version },
        nextStep:
            "The next tick retries. If it keeps failing, revoke the old key at the provider " +
            "and disable the version by hand.",
    };
}

export function reminderNotice(tracked: Tracked, dueAt: Date, provider: string, now: Date): Notice {
    const overdue = dueAt <= now;
    return {
        title: `${provider} key for ${tracked.policy.bot} ${overdue ? "is due" : "is due soon"}`,
        severity: overdue ? "error" : "warning",
        lines: [
            `The key in ${tracked.key.id} (version ${tracked.state.current ?? "latest"}) is due ` +
                `for replacement on ${dueAt.toISOString().slice(0, 10)}. It cannot be replaced ` +
                `by API.`,
        ],
        fields: { ...base(tracked), due: dueAt.toISOString() },
        nextStep:
            `Make a new key at ${provider}, add it as a new version of ${tracked.key.id} ` +
            "(gcloud secrets versions add), then call /rotate for this secret so keywarden " +
            "adopts it.",
    };
}
