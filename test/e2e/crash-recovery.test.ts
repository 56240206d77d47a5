/**
 * Issue 2: a crash at every step boundary of the protocol (the function's process killed, then
 * a new process ticks) leaves exactly one current valid key published, and every key ever
 * created current, previous within its grace period, revoked, or named in an alert.
 *
 * The step boundaries are the function's external effects: its Secret Manager writes and its
 * provider calls. The function runs as a real child process and is SIGKILLed right after the
 * chosen effect was applied, before its answer reaches it (see test/support/crash-effects.ts).
 * Every boundary of a rotation and of a retirement is covered, for a provider that lists its
 * keys (SendGrid: orphans are found by name) and for one that does not (the bot backend's spec
 * has no list call: orphans are named in an alert); a few boundaries are crashed twice in a row.
 *
 * After each crash, a new process ticks until the attempt is finished or undone, then until the
 * previous key is retired, then rotates once more; the invariants (test/support/
 * crash-invariants.ts) are checked after each of the three. The tests run side by side in
 * several worlds, a few one after another in each (test/support/crash-case.ts).
 */
import * as assert from "node:assert/strict";
import type { CrashCase, CrashReport, Phase } from "../support/crash-case";
import { CrashSuite } from "../support/crash-suite";
import type { CrashProvider } from "../support/crash-world";

/** The effects of an ordinary rotation, in order: its step boundaries. */
const ROTATION = [
    "state rotate/locked",
    "provider create",
    "state rotate/created",
    "provider verify",
    "state rotate/publishing",
    "AddSecretVersion",
    "aliases",
    "state unlocked",
];
/** The effects of retiring a key keywarden made. */
const RETIREMENT = [
    "state retire/locked",
    "provider revoke",
    "aliases",
    "DisableSecretVersion",
    "DestroySecretVersion",
    "state unlocked",
];
/** Retiring the hand-made first key: keywarden has no key ID for it, so no provider call. */
const FIRST_RETIREMENT = RETIREMENT.filter((effect) => effect !== "provider revoke");

const PROVIDERS: Array<{ provider: CrashProvider; about: string }> = [
    { provider: "sendgrid", about: "SendGrid, whose keys can be listed" },
    { provider: "bot-backend", about: "a provider without a list call" },
];

/**
 * Boundaries of a key's first rotation, whose promotion differs (no current version yet): an
 * undo that leaves no alias at all, and the two crashes after which recovery finishes it.
 */
const FIRST_ROTATION_STEPS = [5, 6, 7];

/** Boundaries crashed twice: the process that recovers dies too, at an effect of its recovery. */
const TWICE: Array<CrashCase & { recovering: string }> = [
    { phase: "rotation", at: 1, thenAt: 1, recovering: "taking the lock over" },
    { phase: "rotation", at: 2, thenAt: 2, recovering: "at its second effect" },
    { phase: "rotation", at: 6, thenAt: 2, recovering: "moving the aliases to the found version" },
    { phase: "retirement", at: 2, thenAt: 2, recovering: "revoking the key once more" },
];

/** Crash tests run one after another in one world; the worlds run side by side. */
const CHAIN_LENGTH = 4;

const effectsOf = (phase: Phase) => (phase === "retirement" ? RETIREMENT : ROTATION);
const everyStepOf = (phase: Phase): CrashCase[] =>
    effectsOf(phase).map((_, i) => ({ phase, at: i + 1 }));

describe("a crash at every step boundary of the protocol", function () {
    this.timeout(150_000);
    const suite = new CrashSuite();
    for (const { provider } of PROVIDERS) {
        suite.record(provider);
        // A first rotation happens once per key: each gets a world of its own.
        for (const at of FIRST_ROTATION_STEPS) {
            suite.chain(provider, [{ phase: "first rotation", at }]);
        }
        const cases = [...everyStepOf("rotation"), ...everyStepOf("retirement"), ...TWICE];
        for (let from = 0; from < cases.length; from += CHAIN_LENGTH) {
            suite.chain(provider, cases.slice(from, from + CHAIN_LENGTH));
        }
    }
    before(() => suite.start());
    after(() => suite.finished());

    /**
     * The invariants were checked inside the test; here: the process died where intended, and
     * recovery finished or undid the attempt without making a key of its own.
     */
    const crashed = async (provider: CrashProvider, test: CrashCase): Promise<CrashReport> => {
        const report = await suite.report(provider, test);
        assert.equal(report.crashedAfter, effectsOf(test.phase)[test.at - 1]);
        assert.ok(
            !report.recovery.includes("provider create"),
            `recovery made a key: ${report.recovery.join(", ")}`,
        );
        return report;
    };

    for (const { provider, about } of PROVIDERS) {
        describe(about, () => {
            it("makes exactly the expected effects when nothing crashes", async () => {
                const recorded = await suite.recording(provider);
                assert.deepEqual(recorded.firstRotation, ROTATION);
                assert.deepEqual(recorded.firstRetirement, FIRST_RETIREMENT);
                assert.deepEqual(recorded.rotation, ROTATION);
                assert.deepEqual(recorded.retirement, RETIREMENT);
            });

            for (const test of [...everyStepOf("rotation"), ...everyStepOf("retirement")]) {
                const effect = effectsOf(test.phase)[test.at - 1];
                it(
                    `recovers from a crash right after "${effect}" (${test.phase} step ` +
                        `${test.at})`,
                    () => crashed(provider, test),
                );
            }

            for (const at of FIRST_ROTATION_STEPS) {
                it(
                    `recovers from a crash right after "${ROTATION[at - 1]}" of a first ` +
                        `rotation`,
                    () => crashed(provider, { phase: "first rotation", at }),
                );
            }

            for (const test of TWICE) {
                const effect = effectsOf(test.phase)[test.at - 1];
                it(
                    `recovers when the process recovering from a crash after "${effect}" dies ` +
                        `too, ${test.recovering}`,
                    async () => {
                        const report = await crashed(provider, test);
                        assert.ok(report.thenCrashedAfter, "the recovering process was killed");
                    },
                );
            }
        });
    }
});
