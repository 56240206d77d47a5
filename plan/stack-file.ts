/**
 * Reads a stack's configuration as the Pulumi CLI hands it to the program: the defaults of
 * `Pulumi.yaml`, overridden by `Pulumi.<stack>.yaml`, every value a string (structured values
 * as JSON).
 *
 * Encrypted values (`{ secure: ... }`) cannot be read offline, and the example stack files only
 * say in comments which credentials to set with `pulumi config set --secret --path`. The plan
 * needs neither value (it never prints a credential), so both get a placeholder, and the plan
 * lists every placeholder so the reader knows what `pulumi up` still needs.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/** Bad use of the plan itself (no such stack file, unreadable YAML): exit status 2. */
export class PlanUsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanUsageError";
    }
}

/** A credential the plan stood in for, by its `--path` (e.g. `keywarden:slack.webhookUrl`). */
export interface Placeholder {
    path: string;
    /** `encrypted`: set, but only the Pulumi CLI can decrypt it; `not set`: missing. */
    reason: "encrypted" | "not set";
}

/** A stack's configuration, ready for the mock runtime. */
export interface StackFiles {
    stack: string;
    /** Directory holding `Pulumi.yaml` and the stack files. */
    dir: string;
    /** The Pulumi project's name, which is also the namespace of its own keys. */
    project: string;
    config: Record<string, string>;
    /** Top-level keys holding a placeholder: the runtime treats them as secrets. */
    secretKeys: string[];
    placeholders: Placeholder[];
}

/**
 * Stands in for a credential. A webhook URL must look like one to pass the fleet's checks; no
 * other credential's format is checked before `pulumi up`.
 */
export function placeholderFor(configPath: string): string {
    return configPath.endsWith("webhookUrl")
        ? "https://hooks.slack.com/services/T0000/B0000/plan-placeholder"
        : "plan-placeholder";
}

/** Loads `Pulumi.yaml` and `Pulumi.<stack>.yaml` from `dir`. */
export function readStackFiles(dir: string, stack: string): StackFiles {
    const projectFile = readYaml(dir, "Pulumi.yaml");
    const project = typeof projectFile?.name === "string" ? projectFile.name : undefined;
    if (project === undefined) {
        throw new PlanUsageError(`${path.join(dir, "Pulumi.yaml")} has no project name`);
    }
    const stackFileName = `Pulumi.${stack}.yaml`;
    if (!fs.existsSync(path.join(dir, stackFileName))) {
        throw new PlanUsageError(
            `there is no ${stackFileName} in ${dir}: stacks there: ` +
                `${listStacks(dir).join(", ") || "none"}`,
        );
    }
    const stackFile = readYaml(dir, stackFileName);
    const values: Record<string, unknown> = { ...projectDefaults(project, projectFile.config) };
    const placeholders: Placeholder[] = [];
    for (const [key, value] of Object.entries(stackFile?.config ?? {})) {
        if (isSecure(value)) {
            // Provider credentials (gcp:credentials...) are not the program's business.
            if (!key.startsWith(`${project}:`)) continue;
            throw new PlanUsageError(
                `${key} is encrypted as a whole, so the plan cannot read ` +
                    "its settings offline: encrypt only the credentials inside it, with " +
                    `pulumi config set --secret --path '${key}.<field>' VALUE`,
            );
        }
        values[key] = replaceSecure(value, key, placeholders);
    }
    const text = fs.readFileSync(path.join(dir, stackFileName), "utf8");
    for (const match of text.matchAll(/pulumi config set --secret --path '([^']+)'/g)) {
        const target = match[1];
        if (placeholders.some((p) => p.path === target)) continue;
        if (setIfAbsent(values, target, placeholderFor(target))) {
            placeholders.push({ path: target, reason: "not set" });
        }
    }
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const secretKeys = [...new Set(placeholders.map((p) => p.path.split(/[.[]/)[0]))];
    return { stack, dir, project, config, secretKeys, placeholders };
}

/** Stack names that have a `Pulumi.<stack>.yaml` in `dir`. */
export function listStacks(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((name): name is string => name !== undefined)
        .sort();
}

function readYaml(dir: string, file: string): any {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) throw new PlanUsageError(`there is no ${file} in ${dir}`);
    try {
        return yaml.load(fs.readFileSync(full, "utf8"));
    } catch (error) {
        // js-yaml names the line and column; a secret in the file is never part of its message.
        const reason = error instanceof yaml.YAMLException ? error.reason : String(error);
        throw new PlanUsageError(`${file} is not valid YAML: ${reason}`);
    }
}

/** Project-level defaults: `config: { key: { default: ... } }` and plain `key: value`. */
function projectDefaults(project: string, config: unknown): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    if (typeof config !== "object" || config === null) return defaults;
    for (const [key, spec] of Object.entries(config as Record<string, unknown>)) {
        const full = key.includes(":") ? key : `${project}:${key}`;
        if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
            defaults[full] = spec;
        } else if ("value" in spec || "default" in spec) {
            const { value, default: fallback } = spec as { value?: unknown; default?: unknown };
            defaults[full] = value ?? fallback;
        }
    }
    return defaults;
}

function isSecure(value: unknown): boolean {
    return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length === 1 &&
        "secure" in value
    );
}

/** `value` with every nested `{ secure: ... }` replaced by a placeholder, each recorded. */
function replaceSecure(value: unknown, at: string, found: Placeholder[]): unknown {
    if (isSecure(value)) {
        found.push({ path: at, reason: "encrypted" });
        return placeholderFor(at);
    }
    if (Array.isArray(value)) {
        return value.map((item, index) => replaceSecure(item, `${at}[${index}]`, found));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.entries(value).map(([key, item]) => [
                key,
                replaceSecure(item, `${at}.${key}`, found),
            ]),
        );
    }
    return value;
}

/**
 * Sets `value` at a `--path` such as `keywarden:bots[0].secrets.api.adminValue` when nothing is
 * there yet. A path into a bot or secret the file does not declare is left alone.
 */
function setIfAbsent(root: Record<string, unknown>, target: string, value: string): boolean {
    const steps = target.split(".").flatMap((part) => {
        const match = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
        if (!match) return [part];
        return [match[1], ...[...match[2].matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]))];
    });
    let node: any = root;
    for (const step of steps.slice(0, -1)) {
        node = node?.[step];
        if (typeof node !== "object" || node === null) return false;
    }
    const leaf = steps[steps.length - 1];
    if (node[leaf] !== undefined) return false;
    node[leaf] = value;
    return true;
}
