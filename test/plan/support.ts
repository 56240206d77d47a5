/**
 * Temporary Pulumi project directories for the plan's tests: the repository's Pulumi.yaml and
 * one stack file, written as YAML text or from an object. Removed by `removeProjects`.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "..", "..");

const created: string[] = [];

/** A project directory holding Pulumi.yaml and `Pulumi.<stack>.yaml` with `config`. */
export function makeProject(stack: string, config: Record<string, unknown> | string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keywarden-plan-test-"));
    created.push(dir);
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const text = typeof config === "string" ? config : yaml.dump({ config });
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    return dir;
}

/** Gives a project directory a built function (`dist/function`); returns its path. */
export function addFunctionBuild(dir: string): string {
    const build = path.join(dir, "dist", "function");
    fs.mkdirSync(build, { recursive: true });
    fs.writeFileSync(path.join(build, "index.js"), "exports.keywarden = () => {};\n");
    fs.writeFileSync(path.join(build, "package.json"), '{"name":"keywarden-function"}\n');
    return build;
}

/** Removes every directory `makeProject` made. */
export function removeProjects(): void {
    for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** What the plan command printed, and how it exited. */
export interface CliResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs `plan/main.ts` as its own process, as `npm run plan --` would, from the repository. */
export function runPlanCli(args: string[]): CliResult {
    const tsx = require.resolve("tsx/cli");
    const result = spawnSync(process.execPath, [tsx, "plan/main.ts", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 25_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Fleet settings of a small test stack (relay route, encrypted webhook URL), plus `extra`. */
export function smallFleet(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        "gcp:project": "acme-bots-test",
        "gcp:region": "europe-west1",
        "keywarden:slack": {
            alertRoute: "relay",
            webhookUrl: { secure: "v1:ZW5jcnlwdGVkLXdlYmhvb2s=" },
        },
        ...extra,
    };
}
