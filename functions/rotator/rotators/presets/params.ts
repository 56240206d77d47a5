/**
 * A preset's params: checking what a policy gives, and turning a preset plus params into the
 * spec and param values the HTTP rotator runs with.
 */
import type { HttpCall, HttpRotatorSpec } from "../../policy/types";
import type { Preset, PresetParam } from "./preset";

/** What a preset becomes once its params are known. */
export interface ResolvedPreset {
    /** The spec, with `list` and `json-array` params already placed into its JSON bodies. */
    spec: HttpRotatorSpec;
    /** Values of the `text` params, defaults filled in: what `{{params.NAME}}` renders. */
    params: Record<string, string>;
}

/**
 * Every problem with the params a policy gives a preset, each naming `field` (e.g.
 * `rotator.params`) and the fix. Empty when the params are usable.
 */
export function checkPresetParams(preset: Preset, given: unknown, field: string): string[] {
    if (given === undefined) given = {};
    if (given === null || typeof given !== "object" || Array.isArray(given)) {
        const example = preset.params[0].name;
        return [`${field} must be an object of strings, e.g. { "${example}": "..." }`];
    }
    const problems: string[] = [];
    const values = given as Record<string, unknown>;
    const known = preset.params.map((p) => p.name);
    for (const name of Object.keys(values)) {
        if (!known.includes(name)) {
            problems.push(
                `${field}.${name} is not a param of the ${preset.name} preset: remove ` +
                    `it (its params: ${known.join(", ")})`,
            );
        }
    }
    for (const param of preset.params) {
        const value = values[param.name];
        const where = `${field}.${param.name}`;
        if (value === undefined) {
            if (param.required) {
                problems.push(
                    `${where} is missing: the ${preset.name} preset needs it ` +
                        `(${param.description})`,
                );
            }
        } else if (typeof value !== "string") {
            problems.push(`${where} must be a string: write it in quotes`);
        } else {
            const problem = checkValue(param, value);
            if (problem) problems.push(`${where} ${problem}`);
        }
    }
    return problems;
}

/**
 * The spec and params of a preset. Expects params that passed `checkPresetParams`, and throws
 * (naming the param) when they did not.
 */
export function resolvePreset(preset: Preset, given: Record<string, string> = {}): ResolvedPreset {
    const problems = checkPresetParams(preset, given, "params");
    if (problems.length > 0) throw new Error(`the ${preset.name} preset: ${problems.join("; ")}`);
    const text: Record<string, string> = {};
    const structured: Record<string, unknown> = {};
    const resolved: Record<string, string | undefined> = {};
    for (const param of preset.params) {
        const value =
            given[param.name] ??
            param.default ??
            (param.defaultFrom !== undefined ? resolved[param.defaultFrom] : undefined);
        resolved[param.name] = value;
        if (value === undefined) continue;
        if (param.type === "text") text[param.name] = value;
        else structured[param.name] = parseStructured(param, value);
    }
    const alternative = preset.whenAbsent;
    const base =
        alternative && resolved[alternative.param] === undefined ? alternative.spec : preset.spec;
    return { spec: placeStructured(base, structured), params: text };
}

function checkValue(param: PresetParam, value: string): string | undefined {
    // Structured values are placed inside JSON bodies that are rendered afterwards.
    if (value.includes("{{")) return 'must not contain "{{": params are values, not templates';
    if (param.type === "json-array") {
        try {
            if (Array.isArray(JSON.parse(value))) return undefined;
        } catch {
            // Reported below.
        }
        return 'must be the JSON text of an array, e.g. \'[{"effect": "allow", ...}]\'';
    }
    if (param.pattern && !param.pattern.test(value)) {
        return `does not look right: it must be ${param.patternHint ?? param.pattern.source}`;
    }
    return undefined;
}

function parseStructured(param: PresetParam, value: string): unknown {
    if (param.type === "json-array") return JSON.parse(value);
    return value
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
}

/** A copy of the spec with each JSON body value `"{{params.X}}"` replaced by X's value. */
function placeStructured(spec: HttpRotatorSpec, values: Record<string, unknown>): HttpRotatorSpec {
    const place = <T extends HttpCall>(call: T): T =>
        call.json === undefined ? call : { ...call, json: replaceNodes(call.json, values) };
    return {
        ...spec,
        create: place(spec.create),
        verify: place(spec.verify),
        revoke: place(spec.revoke),
        list: spec.list && place(spec.list),
    };
}

function replaceNodes(tree: unknown, values: Record<string, unknown>): unknown {
    if (typeof tree === "string") {
        const whole = /^\{\{params\.([A-Za-z_][A-Za-z0-9_]*)\}\}$/.exec(tree);
        return whole && whole[1] in values ? values[whole[1]] : tree;
    }
    if (Array.isArray(tree)) return tree.map((item) => replaceNodes(item, values));
    if (tree !== null && typeof tree === "object") {
        return Object.fromEntries(
            Object.entries(tree).map(([name, member]) => [name, replaceNodes(member, values)]),
        );
    }
    return tree;
}
