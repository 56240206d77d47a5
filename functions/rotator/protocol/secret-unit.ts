/**
 * Runs the one action due for one secret and says what came of it, in the shape both `/tick`
 * and `/rotate` report. Failures are contained here: one secret's failure never stops a tick.
 */
import { logEvent } from "../log";
import { Busy, EngineDeps, KeySource, Tracked } from "./engine";
import { adopt, remind } from "./manual";
import { stoppedNotice } from "./notices";
import { Action, dueAt, isOverdue, policyTimes } from "./plan";
import { recover } from "./recover";
import { retire } from "./retire";
import { rotate } from "./rotate";
import { describeError } from "../describe-error";

/** One line of a tick summary. Identifiers and sentences only: no key material. */
export interface SecretResult {
    secret: string;
    bot?: string;
    action: Action["kind"] | "adopt" | "skip";
    outcome: string;
    version?: string;
    attemptId?: string;
    message?: string;
}

/** Runs `action` for `tracked`; never throws. */
export async function runAction(
    deps: EngineDeps,
    tracked: Tracked,
    action: Action,
    schedule?: string,
): Promise<SecretResult> {
    const base = { secret: tracked.key.id, bot: tracked.policy.bot, action: action.kind };
    try {
        const source: KeySource = deps.keySource(tracked.policy);
        switch (action.kind) {
            case "recover": {
                const result = await recover(deps, tracked, source, schedule);
                return {
                    ...base,
                    outcome: result.outcome,
                    attemptId: result.attemptId,
                    message: result.message,
                };
            }
            case "retire": {
                const result = await retire(deps, tracked, source, schedule);
                if (result.outcome !== "retired") warnIfOverdue(deps, tracked);
                return {
                    ...base,
                    outcome: result.outcome,
                    version: result.version,
                    message: result.message,
                };
            }
            case "rotate": {
                if (source.mode !== "automatic")
                    return { ...base, outcome: "skipped", message: "manual key" };
                if (action.overdue) logOverdue(tracked, action.dueAt);
                const result = await rotate(deps, tracked, source.rotator, schedule);
                return {
                    ...base,
                    outcome: result.outcome,
                    version: result.version,
                    attemptId: result.attemptId,
                    message: result.message,
                };
            }
            case "remind": {
                const checker = source.mode === "manual" ? source.checker : undefined;
                // A person may already have added the new key: adopt it instead of nagging.
                const adopted = await adopt(deps, tracked, checker);
                if (adopted.outcome === "adopted") {
                    return {
                        ...base,
                        action: "adopt",
                        outcome: "adopted",
                        version: adopted.version,
                        message: adopted.message,
                    };
                }
                await remind(deps, tracked, action.dueAt, checker, schedule);
                return {
                    ...base,
                    outcome: "reminded",
                    message: `due ${action.dueAt.toISOString()}`,
                };
            }
            case "busy":
                return {
                    ...base,
                    outcome: "busy",
                    message: `an attempt holds the lock until ${action.until.toISOString()}`,
                };
            case "none":
                return { ...base, outcome: "idle", message: action.waiting };
        }
    } catch (error) {
        if (error instanceof Busy) return { ...base, outcome: "busy", message: error.message };
        const message = describeError(error);
        logEvent(
            "ERROR",
            "rotation.failed",
            `${tracked.key.id}: ${action.kind} stopped: ${message}; a pending attempt is ` +
                `recovered ` +
                "once its lease runs out",
            { bot: tracked.policy.bot, secret: tracked.key.id, action: action.kind },
        );
        // The log line alerts through Monitoring; Slack hears it directly, as of every failure.
        await deps.notify(stoppedNotice(tracked, action.kind, message)).catch(() => undefined);
        return { ...base, outcome: "error", message };
    }
}

/**
 * A retirement that keeps waiting (a health check that never passes) also holds back the next
 * rotation: say so once the rotation is overdue, so the overdue alert fires instead of silence.
 */
function warnIfOverdue(deps: EngineDeps, tracked: Tracked) {
    const due = dueAt(tracked.policy, tracked.state, tracked.key.createTime);
    if (isOverdue(due, deps.now(), policyTimes(tracked.policy))) logOverdue(tracked, due);
}

function logOverdue(tracked: Tracked, dueAt: Date) {
    logEvent(
        "WARNING",
        "rotation.overdue",
        `${tracked.key.id}: rotation has been due since ${dueAt.toISOString()}; check earlier ` +
            `failures`,
        {
            bot: tracked.policy.bot,
            secret: tracked.key.id,
            dueAt: dueAt.toISOString(),
            failures: tracked.state.failures,
        },
    );
}
