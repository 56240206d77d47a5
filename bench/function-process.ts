/**
 * Runs a built rotator function (the deployable bundle) in a child process behind the Functions
 * Framework, as Cloud Functions would, so the benchmark measures the artefact that is deployed
 * and its own memory. The child prints its port once listening and its peak RSS when told to stop.
 */
import { ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

/** A running function process. */
export interface FunctionProcess {
    url: string;
    /** Stops it and returns its peak resident set size in MB. */
    stop(): Promise<number>;
}

const RUNNER = `
const framework = require("@google-cloud/functions-framework");
const { getTestServer } = require("@google-cloud/functions-framework/testing");
framework.http("keywarden", require(process.env.BUNDLE).keywarden);
const server = getTestServer("keywarden");
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});
process.on("SIGTERM", () => {
  server.close();
  const usage = JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS });
  process.stdout.write(usage + String.fromCharCode(10), () => process.exit(0));
});
`;

/** Starts the bundle at `bundle` with the rotator's environment `env`. */
export async function startFunctionProcess(
    bundle: string,
    env: Record<string, string>,
    cwd: string,
): Promise<FunctionProcess> {
    const child: ChildProcess = spawn(process.execPath, ["-e", RUNNER], {
        cwd,
        env: { ...process.env, ...env, BUNDLE: bundle },
        stdio: ["ignore", "pipe", "inherit"],
    });
    const lines: Array<Record<string, unknown>> = [];
    let buffer = "";
    child.stdout!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            try {
                lines.push(JSON.parse(line));
            } catch {
                // Not a JSON line: ignored.
            }
        }
    });
    const port = await waitFor(lines, (l) => l.listening as number | undefined, child);
    return {
        url: `http://127.0.0.1:${port}`,
        stop: async () => {
            const exited = child.exitCode === null ? once(child, "exit") : Promise.resolve();
            child.kill("SIGTERM");
            await exited;
            const kb = await waitFor(lines, (l) => l.maxRssKb as number | undefined, child);
            return kb / 1024;
        },
    };
}

async function waitFor<T>(
    lines: Array<Record<string, unknown>>,
    pick: (line: Record<string, unknown>) => T | undefined,
    child: ChildProcess,
): Promise<T> {
    for (let waited = 0; waited < 30_000; waited += 20) {
        for (const line of lines) {
            const value = pick(line);
            if (value !== undefined) return value;
        }
        if (child.exitCode !== null || child.signalCode !== null)
            throw new Error(`the function process exited with ${child.exitCode}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error("the function process did not answer within 30 s");
}
