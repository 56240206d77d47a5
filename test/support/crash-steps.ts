/**
 * Driving a function process through a crash test: forced rotations, ticks until the key's state
 * settles (failing with the state and the last answer when it does not), waiting out the grace
 * period in real time, and killing the process right after a chosen effect.
 */
import type { FunctionProcess } from "./crash-function";
import { CrashWorld, GRACE_MS, KEY_SECRET } from "./crash-world";

/** How long a process may take to recover and settle the key before the test fails. */
const SETTLE_TIMEOUT_MS = 15_000;
/** How long a killed process may take to be reported dead after its work failed. */
const CRASH_TIMEOUT_MS = 5_000;
const TICK_PAUSE_MS = 100;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs a forced /rotate and fails unless the key was rotated. */
export async function rotateNow(fn: FunctionProcess): Promise<void> {
    const answer = await fn.post("/rotate", { secret: KEY_SECRET, force: true });
    if (answer.status !== 200 || answer.body.outcome !== "rotated") {
        throw new Error(
            `${fn.label}: a forced rotation answered ${answer.status} ` +
                JSON.stringify(answer.body),
        );
    }
}

/**
 * Ticks until `settled()` holds, a short pause between ticks (the first ones may find the lock
 * still leased). Returns when the tick that settled it started.
 */
export async function tickUntil(
    world: CrashWorld,
    fn: FunctionProcess,
    what: string,
    settled: () => boolean,
): Promise<number> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    let answer: unknown;
    for (;;) {
        const started = Date.now();
        answer = await fn.post("/tick");
        if (settled()) return started;
        if (Date.now() > deadline) break;
        await pause(TICK_PAUSE_MS);
    }
    const { pending, previous, current, lastResult } = world.state();
    throw new Error(
        `${world.provider}: waited ${SETTLE_TIMEOUT_MS} ms for ${what}; state: ` +
            JSON.stringify({ current, previous, pending, lastResult }) +
            `; last tick: ${JSON.stringify(answer)}`,
    );
}

/** Ticks until the previous key is retired. */
export async function retirePrevious(world: CrashWorld, fn: FunctionProcess): Promise<void> {
    await tickUntil(world, fn, "the previous key to be retired", () => !world.state().previous);
}

/** Sleeps until the previous key's grace period is over. */
export async function waitOutGrace(world: CrashWorld): Promise<void> {
    const since = Date.parse(world.state().previousSince ?? "");
    await pause(Math.max(0, since + GRACE_MS - Date.now()) + 20);
}

/**
 * Keywarden has no key ID for the hand-made first key, so retiring it only disables its version
 * and the notice asks a person to revoke the key. The person does, once it is retired.
 */
export function personRevokesHandMadeKey(world: CrashWorld): void {
    if (world.state().versions["1"]?.retiredAt) world.fake.register.revoke(world.initial.id);
}

/**
 * Kills `fn` right after effect `at` (1-based) of `work`, and returns that effect's name. Fails
 * if the work ends with an answer before reaching it, or dies without reaching it.
 */
export async function crashAt(
    world: CrashWorld,
    fn: FunctionProcess,
    at: number,
    work: () => Promise<unknown>,
): Promise<string> {
    const armed = world.effects.crashAt(at, () => fn.kill());
    const outcome = await work().then(
        (answer) => ({ answer }),
        (error: unknown) => ({ error }),
    );
    if ("answer" in outcome && !fn.gone) {
        armed.disarm();
        throw new Error(
            `${fn.label} finished after ${armed.seen.length} effects, before effect ` +
                `${at} (${armed.seen.join(", ")}): ${JSON.stringify(outcome.answer)}`,
        );
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        const why = "error" in outcome ? String(outcome.error) : "no error";
        timer = setTimeout(
            () =>
                reject(
                    new Error(
                        `${fn.label} failed without reaching effect ` +
                            `${at} (saw ${armed.seen.join(", ")}): ${why}; stderr: ` +
                            `${fn.stderrTail()}`,
                    ),
                ),
            CRASH_TIMEOUT_MS,
        );
    });
    try {
        return await Promise.race([armed.reached, timeout]);
    } finally {
        clearTimeout(timer);
    }
}

/**
 * Ticks until the process is killed by an armed crash (the tick it dies in rejects); answers
 * normally only if it never is, which `crashAt` reports.
 */
export async function tickUntilKilled(fn: FunctionProcess): Promise<unknown> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    let answer: unknown;
    while (Date.now() < deadline) {
        answer = await fn.post("/tick");
        await pause(TICK_PAUSE_MS);
    }
    return answer;
}
