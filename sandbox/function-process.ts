/**
 * The rotator function as its own process: `standins/function/main.ts`, which serves the very
 * handler Cloud Functions runs through the Functions Framework on 127.0.0.1, configured by its
 * environment like a deployed instance. The sandbox reads its stdout (one JSON log line per
 * event, as Cloud Logging would) and stops it with SIGTERM, waiting until it has exited.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";

/** A line the function wrote: its JSON log entry when it is one, else the raw text. */
export interface FunctionOutput {
    stream: "stdout" | "stderr";
    text: string;
    /** The parsed entry, for stdout lines that are JSON objects. */
    entry?: Record<string, unknown>;
}

/** How the process ended. */
export interface ProcessExit {
    code: number | null;
    signal: NodeJS.Signals | null;
}

/** A running function process. */
export interface FunctionProcess {
    readonly pid: number;
    /** `http://127.0.0.1:PORT`, from its `function.listening` line. */
    readonly url: string;
    /** Settles once the process has exited and its output is read, whatever ended it. */
    readonly exited: Promise<ProcessExit>;
    /** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves once it is gone. */
    stop(graceMs?: number): Promise<ProcessExit>;
}

/** How long the process may take to start listening (tsx compiles it on first load). */
const START_TIMEOUT_MS = 30_000;

/**
 * Starts the function with `env` added to this process's environment and a free port, and
 * resolves once it listens. Every output line goes to `onOutput`, the listening line included.
 */
export async function startFunctionProcess(
    env: Record<string, string>,
    onOutput: (line: FunctionOutput) => void,
): Promise<FunctionProcess> {
    // Run the same form of the code as the sandbox: TypeScript through tsx's require hook, or
    // the compiled JavaScript next to it in dist/. One node process, no wrapper in between.
    const extension = path.extname(__filename);
    const main = path.resolve(__dirname, "..", "standins", "function", `main${extension}`);
    const execArgv = extension === ".ts" ? ["--require", "tsx/cjs"] : [];
    const child = spawn(process.execPath, [...execArgv, main], {
        cwd: path.resolve(__dirname, ".."),
        env: { ...process.env, ...env, PORT: "0" },
        stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<ProcessExit>((resolve) => {
        child.once("close", (code, signal) => resolve({ code, signal }));
    });
    const listening = new Promise<string>((resolve, reject) => {
        const late = `the function process did not listen within ${START_TIMEOUT_MS / 1000} s`;
        const timer = setTimeout(() => reject(new Error(late)), START_TIMEOUT_MS);
        follow(child, (line) => {
            if (line.entry?.event === "function.listening" && typeof line.entry.url === "string") {
                clearTimeout(timer);
                resolve(line.entry.url);
            }
            onOutput(line);
        });
        void exited.then((exit) => {
            clearTimeout(timer);
            const how = describeExit(exit);
            reject(new Error(`the function process exited before listening: ${how}`));
        });
        child.once("error", (error) => {
            clearTimeout(timer);
            reject(new Error(`the function process could not start: ${error.message}`));
        });
    });

    const stop = async (graceMs = 5000): Promise<ProcessExit> => {
        // Without a pid the process never started, and there is nothing to wait for.
        if (child.pid === undefined) return { code: null, signal: null };
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
    };
    try {
        const url = await listening;
        return { pid: child.pid!, url, exited, stop };
    } catch (error) {
        await stop(1000);
        throw error;
    }
}

/** A readable account of how a process ended, e.g. "exit code 1" or "signal SIGTERM". */
export function describeExit(exit: ProcessExit): string {
    return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

function follow(child: ChildProcess, onOutput: (line: FunctionOutput) => void): void {
    createInterface({ input: child.stdout! }).on("line", (text) => {
        onOutput({ stream: "stdout", text, entry: parseEntry(text) });
    });
    createInterface({ input: child.stderr! }).on("line", (text) => {
        onOutput({ stream: "stderr", text });
    });
}

function parseEntry(text: string): Record<string, unknown> | undefined {
    if (!text.startsWith("{")) return undefined;
    try {
        const value: unknown = JSON.parse(text);
        return typeof value === "object" && value !== null && !Array.isArray(value)
            ? (value as Record<string, unknown>)
            : undefined;
    } catch {
        return undefined;
    }
}
