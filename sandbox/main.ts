/**
 * `npm start`: runs the sandbox until Ctrl-C (SIGINT), SIGTERM, SIGHUP, the end of `--for`, or
 * its parent process exiting, then stops every part, waits for its child process to exit, and
 * prints a summary.
 *
 * Exit status: 0 when the run was clean; 1 when a bot call failed, the function logged a
 * failure, key material had to be redacted from the output, or the function process crashed;
 * 2 for invalid options (nothing is started).
 */
import { count, Display } from "./display";
import { parseOptions, usage } from "./options";
import { Sandbox, SandboxEnded, SandboxSummary, startSandbox } from "./sandbox";

async function main(): Promise<number> {
    const parsed = parseOptions(process.argv.slice(2), process.env);
    if (parsed.kind === "help") {
        process.stdout.write(usage());
        return 0;
    }
    if (parsed.kind === "invalid") {
        const problems = parsed.problems.join("\n- ");
        process.stderr.write(
            `keywarden sandbox: invalid options:\n- ${problems}\n` +
                "Run with --help to see every option.\n",
        );
        return 2;
    }
    const options = parsed.options;
    // After a hang-up the terminal is gone and writes fail; stopping every part matters more
    // than showing it, so an output error must not end the process halfway through.
    process.stdout.on("error", () => undefined);
    process.stderr.on("error", () => undefined);
    const display = new Display(process.stdout);

    // Listen before starting anything, so that a Ctrl-C during start-up still cleans up.
    const stopRequested = Promise.race([whenSignalled(), whenParentExits()]);

    let sandbox: Sandbox;
    try {
        sandbox = await startSandbox(options, display);
    } catch (error) {
        display.line({
            lane: "sandbox",
            label: "start failed",
            tone: "bad",
            detail: `${(error as Error).message}; everything started so far was stopped`,
        });
        return 1;
    }
    display.line({
        lane: "sandbox",
        label: "running",
        detail:
            options.durationMs === undefined
                ? "Ctrl-C stops everything"
                : `for ${options.durationMs / 1000} s; Ctrl-C stops sooner`,
    });
    const over: SandboxEnded = { reason: "the --for duration is over", failure: false };
    const limit =
        options.durationMs === undefined
            ? undefined
            : new Promise<SandboxEnded>((done) => setTimeout(() => done(over), options.durationMs));
    const end = await Promise.race([stopRequested, sandbox.ended, ...(limit ? [limit] : [])]);
    display.line({
        lane: "sandbox",
        label: "stopping",
        detail: `${end.reason}; stopping every part`,
    });
    const summary = await sandbox.stop();
    printSummary(display, summary);
    const clean =
        !end.failure &&
        summary.failedCalls === 0 &&
        summary.functionFailures === 0 &&
        summary.redactedLines === 0;
    return clean ? 0 : 1;
}

/** Resolves at the first SIGINT (Ctrl-C), SIGTERM or SIGHUP (the terminal closed). */
function whenSignalled(): Promise<SandboxEnded> {
    return new Promise((resolve) => {
        for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
            process.on(name, () => resolve({ reason: `${name} received`, failure: false }));
        }
    });
}

/**
 * Resolves when the process that started the sandbox exits. `npm start` runs the sandbox under
 * `sh`; a SIGTERM sent to npm alone reaches that shell, which dies without passing it on, and
 * the sandbox would run on with no one to stop it. Node has no parent-death signal, so the
 * parent's PID is checked instead: it changes when the parent is gone.
 */
function whenParentExits(): Promise<SandboxEnded> {
    const parent = process.ppid;
    return new Promise((resolve) => {
        const timer = setInterval(() => {
            if (process.ppid === parent) return;
            clearInterval(timer);
            resolve({
                reason: `the process that started the sandbox (pid ${parent}) exited`,
                failure: false,
            });
        }, 500);
        timer.unref();
    });
}

/** The closing table: what the run did and how each child process ended. */
function printSummary(display: Display, summary: SandboxSummary): void {
    const children = summary.children.map(
        (c) =>
            `pid ${c.pid} ` +
            (c.exit.signal ? `ended by ${c.exit.signal}` : `exited with code ${c.exit.code}`),
    );
    display.table("summary", [
        ["ran for", `${(summary.durationMs / 1000).toFixed(1)} s`],
        ["rotations", String(summary.rotations)],
        ["retirements", String(summary.retirements)],
        ["bot calls", count(summary.botCalls)],
        ["failed calls", count(summary.failedCalls)],
        ["Slack messages", String(summary.slackMessages)],
        ["ticks", `${summary.ticks} (${summary.failedTicks} failed)`],
        ["function failures", String(summary.functionFailures)],
        [
            "key material in output",
            summary.redactedLines === 0 ? "none" : `redacted from ${summary.redactedLines} lines`,
        ],
        ["child processes", children.length > 0 ? children.join(", ") : "none started"],
    ]);
}

void main().then(
    (code) => {
        // Every server, client and child has been stopped and awaited by now; exiting here also
        // ends the signal listeners, which would otherwise keep the process alive.
        process.exit(code);
    },
    (error: unknown) => {
        process.stderr.write(`keywarden sandbox: ${(error as Error).stack ?? String(error)}\n`);
        process.exit(1);
    },
);
