/**
 * The local sandbox as a user runs it: `sandbox/main.ts` in its own process, stopped by SIGINT
 * (what Ctrl-C sends), by SIGTERM, by its own --for limit, or by its parent dying. Periods are a
 * few seconds instead of the defaults, so that three rotations and their retirements fit in
 * about ten seconds. The four runs start together and each test reads the run it is about.
 */
import * as assert from "node:assert/strict";
import { isRunning, RunExit, SandboxRun } from "./support/sandbox-run";

/** The shortest policy the validator allows: a 2 s rotation period and a 1 s grace period. */
const FAST = [
    "--tick",
    "250ms",
    "--rotation-period",
    "2s",
    "--grace-period",
    "1s",
    "--bot-cache",
    "300ms",
];
const WAIT_MS = 30_000;

/** A SendGrid key as the fake issues it: `SG.` + 22-character ID + `.` + 43-character secret. */
const SENDGRID_KEY = /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/;

interface Finished {
    run: SandboxRun;
    exit: RunExit;
}

/** Waits for `ready`, sends `signal`, and waits for the sandbox to exit. */
async function runUntil(
    run: SandboxRun,
    what: string,
    ready: () => boolean,
    signal: NodeJS.Signals,
): Promise<Finished> {
    await run.until(what, ready, WAIT_MS);
    run.signal(signal);
    return { run, exit: await run.exited };
}

describe("the local sandbox (npm start)", function () {
    this.timeout(60_000);
    const runs: SandboxRun[] = [];
    let interrupted: Finished;
    let terminated: Finished;
    let timed: Finished;
    let orphaned: Finished;

    before(async () => {
        const start = (args: string[], underParent = false) => {
            const run = new SandboxRun(args, { underParent });
            runs.push(run);
            return run;
        };
        const a = start(FAST);
        const b = start(FAST);
        const c = start([...FAST, "--for", "3s"]);
        const d = start(FAST, true);
        [interrupted, terminated, timed, orphaned] = await Promise.all([
            runUntil(
                a,
                "three retirements",
                () => a.events("function", "retirement.succeeded").length >= 3,
                "SIGINT",
            ),
            runUntil(
                b,
                "a first rotation",
                () => b.events("function", "rotation.succeeded").length >= 1,
                "SIGTERM",
            ),
            c.exited.then((exit) => ({ run: c, exit })),
            // What npm's `sh` does when npm alone gets SIGTERM: it dies, passing nothing on.
            runUntil(
                d,
                "a first rotation",
                () => d.events("function", "rotation.succeeded").length >= 1,
                "SIGKILL",
            ),
        ]);
    });
    after(async () => {
        await Promise.all(runs.map((run) => run.kill()));
    });

    it("shows keys created, verified, published, revoked: 3 rotations and retirements", () => {
        const { run } = interrupted;
        assert.ok(run.events("provider", "created").length >= 3, run.tail());
        assert.ok(run.events("provider", "verified").length >= 3, run.tail());
        assert.ok(run.events("secrets", "published").length >= 3, run.tail());
        // The first retirement is of the key set up by hand, which keywarden cannot revoke.
        assert.ok(run.events("provider", "revoked").length >= 2, run.tail());
        assert.ok(run.events("slack", "message").length >= 6, run.tail());
        assert.ok(Number(run.summaryValue("rotations")) >= 3, run.tail());
        assert.ok(Number(run.summaryValue("retirements")) >= 3, run.tail());
    });

    it("keeps every bot call succeeding through the rotations", () => {
        const { run } = interrupted;
        assert.equal(run.summaryValue("failed calls"), "0", run.tail());
        assert.deepEqual(run.events("bot", "call FAILED"), []);
        assert.ok(Number(run.summaryValue("bot calls")?.replace(/,/g, "")) > 50, run.tail());
        assert.ok(
            run.events("bot", "health check").length >= 3,
            "each retirement asked the bot's health check first",
        );
    });

    it("exits 0 on SIGINT and leaves no process behind", () => {
        const { run, exit } = interrupted;
        assert.deepEqual(exit, { code: 0, signal: null }, run.tail());
        assert.match(run.events("sandbox", "stopping")[0] ?? "", /SIGINT received/);
        assertNothingLeft(run);
    });

    it("exits 0 on SIGTERM and leaves no process behind", () => {
        const { run, exit } = terminated;
        assert.deepEqual(exit, { code: 0, signal: null }, run.tail());
        assert.match(run.events("sandbox", "stopping")[0] ?? "", /SIGTERM received/);
        assertNothingLeft(run);
    });

    it("stops on its own after --for, exits 0 and prints the summary", () => {
        const { run, exit } = timed;
        assert.deepEqual(exit, { code: 0, signal: null }, run.tail());
        assert.match(run.events("sandbox", "stopping")[0] ?? "", /the --for duration is over/);
        for (const row of ["ran for", "rotations", "retirements", "bot calls", "failed calls"]) {
            assert.notEqual(run.summaryValue(row), undefined, `row "${row}"\n${run.tail()}`);
        }
        assertNothingLeft(run);
    });

    it("stops cleanly on its own when the process that started it dies without a signal", () => {
        const { run } = orphaned;
        const reason = `the process that started the sandbox (pid ${run.pid}) exited`;
        assert.ok(run.events("sandbox", "stopping")[0]?.includes(reason), run.tail());
        assert.equal(run.summaryValue("failed calls"), "0", run.tail());
        assertNothingLeft(run);
    });

    it("never prints a key, the admin credential or the Slack webhook URL", () => {
        for (const { run } of [interrupted, terminated, timed, orphaned]) {
            const printed = [...run.lines, ...run.errors];
            assert.equal(
                printed.find((line) => SENDGRID_KEY.test(line)),
                undefined,
            );
            assert.equal(
                printed.find((line) => line.includes("/services/T")),
                undefined,
            );
            assert.equal(run.summaryValue("key material in output"), "none", run.tail());
        }
    });
});

/** Every child PID the sandbox printed is gone, and no process carries the run's marker. */
function assertNothingLeft(run: SandboxRun): void {
    const pids = run.childPids();
    assert.equal(pids.length, 1, `one function process started\n${run.tail()}`);
    assert.deepEqual(pids.filter(isRunning), [], "every child process has exited");
    assert.match(
        run.summaryValue("child processes") ?? "",
        new RegExp(`pid ${pids[0]} exited with code 0`),
    );
    assert.deepEqual(run.survivors(), [], "no process from this run is still running");
}
