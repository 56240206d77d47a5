/**
 * Crash tests from start to end. A test brings the bot key to the moment before a rotation or a
 * retirement, kills the function process right after the chosen effect of it (and, optionally,
 * kills the process that recovers as well), then lets a fresh process tick until the key
 * settles, and checks the invariants after recovery, after the grace period, and after a
 * further forced rotation.
 *
 * Starting a process is what a crash test spends most of its time on, so tests run in chains
 * in one world: the fresh process that recovered from one crash is the one killed in the next
 * test. Each crash still meets a process that has never heard of it, and the invariants cover
 * every key the world's provider ever issued, so later tests also re-check earlier ones.
 */
import type { FunctionProcess } from "./crash-function";
import { assertSettled } from "./crash-invariants";
import {
    crashAt,
    personRevokesHandMadeKey,
    retirePrevious,
    rotateNow,
    tickUntil,
    tickUntilKilled,
    waitOutGrace,
} from "./crash-steps";
import { CrashProvider, CrashWorld, KEY_SECRET, startCrashWorld } from "./crash-world";

/**
 * The protocol run a crash interrupts. The first rotation of a key differs from later ones where
 * it is promoted (there is no current version yet; the hand-made one becomes the previous), so
 * it is a phase of its own; it can only be the first test of a chain.
 */
export type Phase = "first rotation" | "rotation" | "retirement";

/** Where to crash. */
export interface CrashCase {
    phase: Phase;
    /** The effect of the phase (1-based) right after which the process is killed. */
    at: number;
    /** Also kill the next process, right after this effect (1-based) of its recovery. */
    thenAt?: number;
}

/** What a crash test saw. */
export interface CrashReport {
    /** The effect the first process died after. */
    crashedAfter: string;
    /** The effect the recovering process died after, for a double crash. */
    thenCrashedAfter?: string;
    /** The effects of the last process's recovery, up to the check after the grace period. */
    recovery: string[];
}

/** The effects of each phase in a run without a crash. */
export interface RecordedProtocol {
    firstRotation: string[];
    firstRetirement: string[];
    rotation: string[];
    retirement: string[];
}

/** Hands a test's result on: its report, or the error that failed it. */
export type Settle = (index: number, result: CrashReport | Error) => void;

/**
 * Runs `cases` one after another in one world and settles each result as soon as it is known.
 * After a failure the rest are not run (they settle with an error saying so).
 */
export async function runCrashChain(provider: CrashProvider, cases: CrashCase[], settle: Settle) {
    let index = 0;
    let world: CrashWorld | undefined;
    try {
        if (cases.slice(1).some((c) => c.phase === "first rotation")) {
            throw new Error("a first rotation can only be the first crash test of a chain");
        }
        world = await startCrashWorld(provider);
        let survivor = await world.startFunction("the first process");
        if (cases[0]?.phase !== "first rotation") await rotateNow(survivor);
        for (; index < cases.length; index++) {
            const outcome = await crashAndRecover(world, survivor, cases[index], index + 1);
            survivor = outcome.recovered;
            settle(index, outcome.report);
        }
    } catch (error) {
        settle(index, error instanceof Error ? error : new Error(String(error)));
        for (let rest = index + 1; rest < cases.length; rest++) {
            settle(rest, new Error(`not run: crash test ${index + 1} of the same world failed`));
        }
    } finally {
        await world?.stop();
    }
}

/** Runs rotation, retirement, rotation, retirement without a crash and records their effects. */
export async function recordProtocol(provider: CrashProvider): Promise<RecordedProtocol> {
    const world = await startCrashWorld(provider);
    try {
        const fn = await world.startFunction("the recording process");
        const during = async (work: () => Promise<unknown>) => {
            const mark = world.effects.mark();
            await work();
            return world.effects.since(mark);
        };
        const firstRotation = await during(() => rotateNow(fn));
        await waitOutGrace(world);
        const firstRetirement = await during(() => retirePrevious(world, fn));
        personRevokesHandMadeKey(world);
        const rotation = await during(() => rotateNow(fn));
        await waitOutGrace(world);
        const retirement = await during(() => retirePrevious(world, fn));
        await assertSettled(world, "after two rotations without a crash", Date.now());
        return { firstRotation, firstRetirement, rotation, retirement };
    } finally {
        await world.stop();
    }
}

/** One crash test on a live process; returns the report and the process that recovered. */
async function crashAndRecover(world: CrashWorld, fn: FunctionProcess, test: CrashCase, n: number) {
    await prepare(world, fn, test.phase);
    const crashedAfter = await crashAt(world, fn, test.at, () => startPhase(fn, test.phase));

    let thenCrashedAfter: string | undefined;
    if (test.thenAt !== undefined) {
        const second = await world.startFunction(`the process recovering from crash ${n}`);
        thenCrashedAfter = await crashAt(world, second, test.thenAt, () => tickUntilKilled(second));
    }

    const mark = world.effects.mark();
    const recovered = await world.startFunction(`the process after crash ${n}`);
    const settledAt = await tickUntil(
        world,
        recovered,
        "the crashed attempt to be finished or undone",
        () => !world.state().pending,
    );
    await assertSettled(world, `crash ${n}, after recovery`, settledAt);
    const retiredAt = await tickUntil(
        world,
        recovered,
        "the previous key to be retired",
        () => !world.state().pending && !world.state().previous,
    );
    personRevokesHandMadeKey(world);
    await assertSettled(world, `crash ${n}, after the grace period`, retiredAt);
    const recovery = world.effects.since(mark);

    const rotatedAt = Date.now();
    await rotateNow(recovered);
    await assertSettled(world, `crash ${n}, after a further forced rotation`, rotatedAt);
    if (world.tap.problems.length > 0) {
        throw new Error(`the provider tap failed: ${world.tap.problems.join("; ")}`);
    }
    return { report: { crashedAfter, thenCrashedAfter, recovery }, recovered };
}

/**
 * Brings the key to where the phase starts. Any previous key is retired first, so that a
 * rotation is an ordinary one; a retirement also needs a rotation and its grace period, so that
 * the next tick retires a key keywarden made and knows the ID of.
 */
async function prepare(world: CrashWorld, fn: FunctionProcess, phase: Phase) {
    if (phase === "first rotation") return;
    if (world.state().previous) {
        await waitOutGrace(world);
        await retirePrevious(world, fn);
        personRevokesHandMadeKey(world);
    }
    if (phase === "retirement") {
        await rotateNow(fn);
        await waitOutGrace(world);
    }
}

/** Starts the work of a phase: the tick that retires, or a forced rotation. */
function startPhase(fn: FunctionProcess, phase: Phase) {
    if (phase === "retirement") return fn.post("/tick");
    return fn.post("/rotate", { secret: KEY_SECRET, force: true });
}
