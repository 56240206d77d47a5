/**
 * Runs `sandbox/main.ts` as a child process, as `npm start` does, and records what it printed,
 * how it ended and whether anything it started is still running.
 *
 * "Anything it started" is checked two ways: the child PIDs the sandbox prints must be gone, and
 * no process may still carry the run's marker variable, which every process the sandbox starts
 * inherits through its environment (this also finds a grandchild the sandbox never printed).
 */
import { ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

const REPO_ROOT = resolve(__dirname, "..", "..", "..");
const MARKER = "KEYWARDEN_SANDBOX_TEST_RUN";

/** A parent that starts node with its own arguments, shares its output, and waits. */
const PARENT_SCRIPT =
    'const child = require("node:child_process").spawn(process.execPath, ' +
    'process.argv.slice(1), { stdio: "inherit" }); child.on("exit", (code) => process.exit(code));';

/** How a run ended. */
export interface RunExit {
    code: number | null;
    signal: NodeJS.Signals | null;
}

/** A sandbox process under test. */
export class SandboxRun {
    /** Every stdout line so far. */
    readonly lines: string[] = [];
    /** Every stderr line so far. */
    readonly errors: string[] = [];
    readonly exited: Promise<RunExit>;
    private readonly child: ChildProcess;
    private readonly marker = randomUUID();
    private readonly watchers = new Set<() => void>();

    /**
     * Starts `sandbox/main.ts` with `args`; no KEYWARDEN_SANDBOX_* variable is inherited. With
     * `underParent`, the sandbox runs under an intermediate process (as `sh` sits between npm
     * and the sandbox), which then is the process `pid`, `signal` and `exited` are about; the
     * sandbox writes to the same pipes, so its lines are still read until it exits.
     */
    constructor(args: string[], options: { underParent?: boolean } = {}) {
        const env: NodeJS.ProcessEnv = { ...process.env, [MARKER]: this.marker };
        for (const name of Object.keys(env)) {
            if (name.startsWith("KEYWARDEN_SANDBOX_") && name !== MARKER) delete env[name];
        }
        const sandbox = ["--require", "tsx/cjs", "sandbox/main.ts", ...args];
        const command = options.underParent ? ["-e", PARENT_SCRIPT, "--", ...sandbox] : sandbox;
        this.child = spawn(process.execPath, command, {
            cwd: REPO_ROOT,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        this.exited = new Promise((done) => {
            this.child.once("close", (code, signal) => {
                this.notify();
                done({ code, signal });
            });
        });
        createInterface({ input: this.child.stdout! }).on("line", (line) => {
            this.lines.push(line);
            this.notify();
        });
        createInterface({ input: this.child.stderr! }).on("line", (line) => this.errors.push(line));
    }

    /** The PID of the process started: the sandbox, or its parent with `underParent`. */
    get pid(): number {
        return this.child.pid!;
    }

    /** Lines whose lane and label are the given ones, e.g. ("function", "rotation.succeeded"). */
    events(lane: string, label: string): string[] {
        const pattern = new RegExp(`^\\S+\\s+${lane}\\s+${label.replace(/\./g, "\\.")}(\\s|$)`);
        return this.lines.filter((line) => pattern.test(line));
    }

    /** Resolves once `ready()` holds; rejects if the sandbox exits first or after `timeoutMs`. */
    async until(what: string, ready: () => boolean, timeoutMs: number): Promise<void> {
        if (ready()) return;
        await new Promise<void>((done, fail) => {
            const late = () => finish(new Error(`timed out waiting for ${what}`));
            const timer = setTimeout(late, timeoutMs);
            const check = () => {
                if (ready()) finish();
                else if (this.child.exitCode !== null || this.child.signalCode !== null) {
                    finish(new Error(`the sandbox exited before ${what}`));
                }
            };
            const finish = (error?: Error) => {
                clearTimeout(timer);
                this.watchers.delete(check);
                if (error) fail(new Error(`${error.message}\n${this.tail()}`));
                else done();
            };
            this.watchers.add(check);
        });
    }

    /** Sends a signal to the sandbox process (only to it, not to its children). */
    signal(name: NodeJS.Signals): void {
        this.child.kill(name);
    }

    /** The value of a summary row, e.g. summaryValue("rotations"). */
    summaryValue(row: string): string | undefined {
        const start = this.lines.indexOf("summary");
        const pattern = new RegExp(`^  ${row}\\s{2,}(.*)$`);
        return this.lines
            .slice(start + 1)
            .map((line) => pattern.exec(line)?.[1])
            .find(Boolean);
    }

    /** PIDs the sandbox said it started. */
    childPids(): number[] {
        return this.events("sandbox", "function started").map((line) =>
            Number(/pid (\d+)/.exec(line)?.[1]),
        );
    }

    /** PIDs of processes that still carry this run's marker (Linux /proc; [] elsewhere). */
    survivors(): number[] {
        let entries: string[];
        try {
            entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
        } catch {
            return [];
        }
        return entries
            .filter((pid) => {
                try {
                    const environ = readFileSync(`/proc/${pid}/environ`, "latin1");
                    return environ.includes(`${MARKER}=${this.marker}`);
                } catch {
                    return false; // Gone meanwhile, or another user's process.
                }
            })
            .map(Number);
    }

    /** Kills the sandbox and everything it left, if a test failed halfway. */
    async kill(): Promise<void> {
        for (const pid of [this.pid, ...this.childPids(), ...this.survivors()]) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // Already gone.
            }
        }
        await this.exited;
    }

    /** The last lines printed, for failure messages. */
    tail(count = 25): string {
        return [...this.lines.slice(-count), ...this.errors.slice(-10)].join("\n");
    }

    private notify(): void {
        for (const watcher of [...this.watchers]) watcher();
    }
}

/** True when a process with this PID exists (signal 0 checks without sending anything). */
export function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}
