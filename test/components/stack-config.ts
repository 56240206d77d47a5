/**
 * Loads an example stack file (Pulumi.<stack>.yaml) as the Pulumi runtime would pass it to the
 * program, filling each credential the file says to set with `pulumi config set --secret
 * --path` with a stand-in value, so the examples can run under the mocks.
 */
import * as fs from "fs";
import * as path from "path";

// js-yaml is a dependency of @pulumi/pulumi and of mocha; it has no bundled types.
const yaml: { load(text: string): unknown } = require("js-yaml");

/** The repository root, where the Pulumi files live. */
export const ROOT = path.resolve(__dirname, "..", "..");

/** A stack's configuration as the runtime sees it, and the stand-ins given to its secrets. */
export interface ExampleConfig {
    config: Record<string, string>;
    secretKeys: string[];
    /** Stand-in value by `--path` (e.g. `keywarden:slack.webhookUrl`). */
    standIns: Record<string, string>;
}

/** Parses a YAML file of the repository. */
export function loadYaml(file: string): any {
    return yaml.load(fs.readFileSync(path.join(ROOT, file), "utf8"));
}

/** Reads `Pulumi.<stack>.yaml` and fills its documented secrets with stand-ins. */
export function exampleConfig(stack: string, functionDir: string): ExampleConfig {
    const file = `Pulumi.${stack}.yaml`;
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const values: Record<string, unknown> = (yaml.load(text) as any).config;
    const standIns: Record<string, string> = {};
    const secretKeys = new Set<string>();
    for (const match of text.matchAll(/pulumi config set --secret --path '([^']+)'/g)) {
        const target = match[1];
        const value = target.endsWith("webhookUrl")
            ? `https://hooks.slack.com/services/T0/B0/stand-in-${Object.keys(standIns).length}`
            : `stand-in-secret-${Object.keys(standIns).length}`;
        setPath(values, target, value);
        standIns[target] = value;
        secretKeys.add(target.split(/[.[]/)[0]);
    }
    values["keywarden:functionDir"] = functionDir;
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { config, secretKeys: [...secretKeys], standIns };
}

/** Sets `value` at a Pulumi `--path` such as `keywarden:bots[0].secrets.api.adminValue`. */
function setPath(root: Record<string, any>, target: string, value: string) {
    const steps = target.split(".").flatMap((part) => {
        const match = /^([^[]+)((?:\[\d+\])*)$/.exec(part)!;
        const indexes = [...match[2].matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
        return [match[1], ...indexes];
    });
    let node: any = root;
    for (const step of steps.slice(0, -1)) {
        if (node[step] === undefined) throw new Error(`${target}: nothing at ${String(step)}`);
        node = node[step];
    }
    node[steps[steps.length - 1]] = value;
}
