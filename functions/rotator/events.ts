/**
 * The event names the function logs (the `event` field of each JSON log line).
 *
 * These names are a contract: the fleet component turns some of them into log-based metrics and
 * alert policies, and operators search logs by them. Renaming one is a breaking change; adding
 * one is not. docs/events.md lists them with the same descriptions (a test keeps the two equal).
 */
export const EVENTS = {
    "tick.completed":
        "A reconcile tick finished; the fleet's heartbeat alert fires when these stop.",
    "tick.failed":
        "A tick could not run at all (the fleet's secrets could not be listed); Scheduler " +
        "retries it.",
    "tick.duplicate":
        "A repeated delivery of a scheduled run that was already handled; nothing done.",
    "rotation.succeeded": "A new key was created, verified and published as the current version.",
    "rotation.failed": "A rotation stopped; the current key is unchanged and still valid.",
    "rotation.overdue": "A secret's rotation is past due (failures or a paused rotator).",
    "retirement.succeeded":
        "The previous key was revoked at the provider and its version disabled.",
    "retirement.waiting": "The grace period is over but the bot's health check does not pass yet.",
    "retirement.failed":
        "Revoking the previous key or disabling its version failed; retried next tick.",
    "reminder.due": "A key that is replaced by hand is due (or about to be) for replacement.",
    "attempt.recovered": "A stale attempt left by a crash was finished or undone.",
    "orphan.revoked": "A provider key from an unfinished attempt was found and revoked.",
    "orphan.unresolved": "A provider key may exist that could not be revoked: a person must check.",
    "policy.invalid": "A managed secret's policy annotation is invalid; the secret is skipped.",
    "request.rejected": "An HTTP request to the function was refused (bad input, unknown secret).",
    "notify.failed": "A Slack message could not be delivered.",
    "outbound.blocked":
        "An outbound request was refused before sending (non-https, private address, credential " +
        "host).",
    "outbound.retry": "An outbound request is retried after a 429, a 5xx or a network error.",
    "config.loopback":
        "The function allows http:// and loopback targets: for the sandbox and tests only.",
} as const;

/** One of the documented event names. */
export type EventName = keyof typeof EVENTS;

/** Events whose lines the fleet counts as failures needing a person (the rotation-failed alert). */
export const FAILURE_EVENTS: EventName[] = [
    "tick.failed",
    "rotation.failed",
    "retirement.failed",
    "orphan.unresolved",
    "policy.invalid",
];
