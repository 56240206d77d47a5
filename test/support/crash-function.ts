/**
 * The rotator function as a real child process (`standins/function/main.ts`), configured by its
 * environment like a deployed instance, so that a crash test can SIGKILL it mid-protocol: no
 * `finally` block, no exit handler and no buffered write survives that.
 *
 * The crash tests start dozens of these. Under tsx each start costs about 0.7 s of CPU, most of
 * it tsx's loader hooks; so `main.ts` is bundled once per test run with esbuild (the compiler
 * tsx itself uses), packages left outside and loaded from the repository's node_modules, which
 * brings a start down to about 0.4 s. The code that runs is the same.
 */
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Answer } from "./world";

const REPO_ROOT = resolve(__dirname, "..", "..");
const MAIN = join(REPO_ROOT, "standins", "function", "main.ts");
/** A start takes well under a second; this is for a machine busy with other tests. */
const START_TIMEOUT_MS = 15_000;
/** No request of these tests takes long; a hung function fails the test instead of mocha. */
const REQUEST_TIMEOUT_MS = 15_000;

/** One JSON log line the function wrote to stdout. */
export type LogLine = Record<string, any>;

/** How to start a function process. */
export interface FunctionProcessOptions {
    /** Names the process in failure messages ("the crashing process"). */
    label: string;
    /** `host:port` of the Secret Manager emulator (SECRET_MANAGER_EMULATOR_HOST). */
    emulatorAddress: string;
    project: string;
    fleet: string;
    /** KEYWARDEN_LEASE: how long a pending attempt holds its lock. */
    lease: string;
    /** Parsed log lines are appended here; the processes of one test may share one array. */
    logs: LogLine[];
}

/** A running function process. */
export interface FunctionProcess {
    readonly label: string;
    /** `http://127.0.0.1:PORT` */
    readonly url: string;
    /** POSTs JSON (or nothing) and parses the answer; rejects when the process dies meanwhile. */
    post(path: string, body?: unknown): Promise<Answer>;
    /** SIGKILL; resolves once the process is gone. Harmless when it is gone already. */
    kill(): Promise<void>;
    /** True once the process has exited. */
    readonly gone: boolean;
    /** The last lines it wrote to stderr, for failure messages. */
    stderrTail(): string;
}

let bundled: Promise<string> | undefined;

/** Bundles `main.ts` into a temporary folder (once per test run) and returns the file. */
function bundledMain(): Promise<string> {
    bundled ??= (async () => {
        const { build } = await import("esbuild");
        const dir = mkdtempSync(join(tmpdir(), "keywarden-crash-"));
        process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
        const outfile = join(dir, "main.js");
        await build({
            entryPoints: [MAIN],
            outfile,
            bundle: true,
            platform: "node",
            format: "cjs",
            target: "node20",
            packages: "external",
            absWorkingDir: REPO_ROOT,
            logLevel: "warning",
        });
        return outfile;
    })();
    return bundled;
}

/** Starts the function and resolves once it listens on loopback. */
export async function startFunctionProcess(
    options: FunctionProcessOptions,
): Promise<FunctionProcess> {
    const child = spawn(process.execPath, [await bundledMain()], {
        cwd: REPO_ROOT,
        env: {
            ...process.env,
            // The bundle lives outside the repository: its packages resolve from here.
            NODE_PATH: join(REPO_ROOT, "node_modules"),
            KEYWARDEN_PROJECT: options.project,
            KEYWARDEN_FLEET: options.fleet,
            KEYWARDEN_LEASE: options.lease,
            KEYWARDEN_ALLOW_LOOPBACK: "true",
            KEYWARDEN_SLACK_WEBHOOK_SECRET: "",
            SECRET_MANAGER_EMULATOR_HOST: options.emulatorAddress,
            PORT: "0",
        },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    const listening = new Promise<string>((found, fail) => {
        const timer = setTimeout(
            () =>
                fail(
                    new Error(
                        `${options.label} did not start within ` +
                            `${START_TIMEOUT_MS} ms; stderr: ${stderr}`,
                    ),
                ),
            START_TIMEOUT_MS,
        );
        readLines(child, (line) => {
            options.logs.push(line);
            if (line.event === "function.listening") {
                clearTimeout(timer);
                found(String(line.url));
            }
        });
        void exited.then(() => {
            clearTimeout(timer);
            fail(new Error(`${options.label} exited before listening; stderr: ${stderr}`));
        });
    });
    const url = await listening.catch(async (error: unknown) => {
        child.kill("SIGKILL");
        await exited;
        throw error;
    });
    let gone = false;
    void exited.then(() => (gone = true));
    return {
        label: options.label,
        url,
        get gone() {
            return gone;
        },
        post: (path, body) => post(url + path, body),
        kill: async () => {
            if (!gone) child.kill("SIGKILL");
            await exited;
        },
        stderrTail: () => stderr,
    };
}

/** Calls `onLine` with every JSON line on the child's stdout; other lines are ignored. */
function readLines(child: ChildProcess, onLine: (line: LogLine) => void) {
    let buffer = "";
    child.stdout!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        let end: number;
        while ((end = buffer.indexOf("\n")) >= 0) {
            const text = buffer.slice(0, end);
            buffer = buffer.slice(end + 1);
            try {
                onLine(JSON.parse(text) as LogLine);
            } catch {
                // Not a JSON line (a stray console.log): not part of the log contract.
            }
        }
    });
}

async function post(url: string, body?: unknown): Promise<Answer> {
    const response = await fetch(url, {
        method: "POST",
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
        parsed = JSON.parse(text);
    } catch {
        // The framework's own error pages are not JSON: keep the text.
    }
    return { status: response.status, body: parsed };
}
