/**
 * The reconcile tick: one list call finds every secret of the fleet with its policy and state
 * (annotations come inline), a pure plan says what is due, and only due secrets cost further
 * calls, a few at a time. Level-triggered: a missed or repeated tick heals itself.
 */
import { logEvent } from "../log";
import { parsePolicyAnnotation } from "../policy/validate";
import { FLEET_LABEL, POLICY_ANNOTATION, ROLE_LABEL } from "../policy/types";
import { decodeState } from "../state/codec";
import { SecretMeta } from "../secrets/store";
import { EngineDeps, Tracked } from "./engine";
import { firstSight, isFirstSight } from "./first-sight";
import { planSecret } from "./plan";
import { runAction, SecretResult } from "./secret-unit";
import { describeError } from "../describe-error";

/**
 * Secrets handled at once: bounded so one tick cannot burst past provider or Secret Manager quotas.
 */
export const TICK_CONCURRENCY = 4;

/** The JSON answer of `/tick`. */
export interface TickSummary {
    schedule?: string;
    secrets: number;
    due: number;
    results: SecretResult[];
    durationMs: number;
}

/** Runs one tick. `schedule` is the run's X-CloudScheduler-ScheduleTime, same across retries. */
export async function tick(deps: EngineDeps, schedule?: string): Promise<TickSummary> {
    const started = Date.now();
    const listed = await deps.store.listManaged(FLEET_LABEL, deps.fleet);
    const states = new Map(
        listed.filter((s) => s.labels[ROLE_LABEL] === "state").map((s) => [s.id, s]),
    );
    const keys = listed.filter((s) => s.labels[ROLE_LABEL] === "key");
    const now = deps.now();

    const results: SecretResult[] = [];
    const work: Array<() => Promise<SecretResult>> = [];
    let due = 0;
    for (const key of keys) {
        const tracked = track(key, states, results, deps.allowLoopback);
        if (!tracked) continue;
        const action = planSecret(tracked.policy, tracked.state, now, key.createTime);
        if (action.kind === "none") {
            if (isFirstSight(tracked)) work.push(() => firstSight(deps, tracked, schedule));
            continue;
        }
        if (action.kind === "busy") {
            results.push({
                secret: key.id,
                bot: tracked.policy.bot,
                action: "busy",
                outcome: "busy",
                attemptId: tracked.state.pending?.attemptId,
                message: `attempt holds the lock until ${action.until.toISOString()}`,
            });
            continue;
        }
        if (schedule && tracked.state.lastSchedule === schedule && action.kind !== "recover") {
            results.push({
                secret: key.id,
                bot: tracked.policy.bot,
                action: action.kind,
                outcome: "duplicate",
                message: `already handled by the run scheduled at ${schedule}`,
            });
            logEvent("INFO", "tick.duplicate", `${key.id}: run ${schedule} already acted on it`, {
                secret: key.id,
                schedule,
            });
            continue;
        }
        due++;
        work.push(() => runAction(deps, tracked, action, schedule));
    }
    results.push(...(await inBatches(work, TICK_CONCURRENCY)));

    const summary = {
        schedule,
        secrets: keys.length,
        due,
        results,
        durationMs: Date.now() - started,
    };
    logEvent("INFO", "tick.completed", `tick: ${keys.length} secrets, ${due} due`, {
        schedule,
        secrets: keys.length,
        due,
        durationMs: summary.durationMs,
        failed: results.filter((r) => r.outcome === "failed" || r.outcome === "error").length,
    });
    return summary;
}

/**
 * Pairs a key secret with its policy and state, or records why it is skipped. Exported for
 * `/rotate`, which checks a single secret the same way.
 */
export function track(
    key: SecretMeta,
    states: Map<string, SecretMeta>,
    results: SecretResult[],
    allowLoopback = false,
): Tracked | undefined {
    const skip = (message: string) => {
        logEvent("ERROR", "policy.invalid", `${key.id}: ${message}; the secret is skipped`, {
            secret: key.id,
        });
        results.push({ secret: key.id, action: "skip", outcome: "invalid", message });
        return undefined;
    };
    const text = key.annotations[POLICY_ANNOTATION];
    if (text === undefined)
        return skip(`it has no ${POLICY_ANNOTATION} annotation: declare it with the bot component`);
    const check = parsePolicyAnnotation(text, { allowLoopbackHttp: allowLoopback });
    if (!check.policy) return skip(`its policy is invalid: ${check.problems.join("; ")}`);
    const stateSecret = states.get(check.policy.stateSecret);
    if (!stateSecret) {
        return skip(
            `its state secret ${check.policy.stateSecret} does not exist or is not labelled ` +
                `${ROLE_LABEL}=state for this fleet`,
        );
    }
    try {
        return {
            key,
            stateSecret,
            policy: check.policy,
            state: decodeState(stateSecret.annotations),
        };
    } catch (error) {
        return skip(describeError(error, "its state cannot be read"));
    }
}

async function inBatches<T>(work: Array<() => Promise<T>>, limit: number): Promise<T[]> {
    const results: T[] = new Array(work.length);
    let next = 0;
    const runners = Array.from({ length: Math.min(limit, work.length) }, async () => {
        while (next < work.length) {
            const index = next++;
            results[index] = await work[index]();
        }
    });
    await Promise.all(runners);
    return results;
}
