/**
 * Validation of a rotator config (the `rotator` field of a policy), shared by `pulumi preview`
 * and the function. Every problem is returned, each a sentence that names the field path and
 * the fix, so that one run of preview shows everything to correct.
 */
import { MANUAL_VERIFIERS, PRESET_NAMES, PresetName } from "../policy/types";
import { checkPresetParams, PRESETS } from "./presets";
import { placeholdersIn } from "./templates";
import { validateSpec } from "./validate-spec";
import { checkUrlField, UrlRules } from "./validate-url";

export type { UrlRules } from "./validate-url";

const KINDS = ["http", "google-api-key", "oauth-refresh", "manual"];

const FIELDS: Record<string, string[]> = {
    http: ["kind", "spec", "preset", "params"],
    "google-api-key": [
        "kind",
        "project",
        "displayName",
        "restrictions",
        "serviceAccountEmail",
        "verifyUrl",
        "endpoint",
    ],
    "oauth-refresh": ["kind", "provider", "clientId", "endpoint"],
    manual: ["kind", "verify", "endpoint"],
};

/**
 * Every problem with a rotator config at `field` (e.g. `rotator`). Empty when the config is
 * usable. `rules` relax the https rule for tests against loopback fakes.
 */
export function validateRotatorConfig(
    value: unknown,
    field: string,
    rules: UrlRules = {},
): string[] {
    if (!isObject(value)) {
        return [`${field} must be an object with a "kind": one of ${KINDS.join(", ")}`];
    }
    if (!KINDS.includes(value.kind as string)) {
        const got = value.kind === undefined ? "is missing" : `is ${JSON.stringify(value.kind)}`;
        return [`${field}.kind ${got}: use one of ${KINDS.join(", ")}`];
    }
    const kind = value.kind as string;
    const problems: string[] = [];
    for (const name of Object.keys(value)) {
        if (!FIELDS[kind].includes(name)) {
            problems.push(
                `${field}.${name} is not a field of a "${kind}" rotator: remove it ` +
                    `(its fields: ${FIELDS[kind].join(", ")})`,
            );
        }
    }
    switch (kind) {
        case "http":
            return [...problems, ...checkHttp(value, field, rules)];
        case "google-api-key":
            return [...problems, ...checkGoogle(value, field, rules)];
        case "oauth-refresh":
            return [...problems, ...checkOAuth(value, field, rules)];
        default:
            return [...problems, ...checkManual(value, field, rules)];
    }
}

function checkHttp(config: Record<string, unknown>, field: string, rules: UrlRules): string[] {
    const hasSpec = config.spec !== undefined;
    const hasPreset = config.preset !== undefined;
    if (hasSpec && hasPreset) {
        return [
            `${field} has both spec and preset: keep "preset" for a bundled provider or ` +
                '"spec" to describe one, not both',
        ];
    }
    if (!hasSpec && !hasPreset) {
        return [
            `${field}.preset is missing: name a bundled provider ` +
                `(${PRESET_NAMES.join(", ")}) or describe the provider's API with "spec"`,
        ];
    }
    if (hasPreset) return checkPreset(config.preset, config.params, field, rules);
    const params = config.params ?? {};
    if (!isObject(params) || !Object.values(params).every((v) => typeof v === "string")) {
        return [`${field}.params must be an object whose values are strings`];
    }
    const strings = params as Record<string, string>;
    const problems = validateSpec(config.spec, `${field}.spec`, strings, rules);
    const used = new Set(placeholdersIn(config.spec));
    for (const name of Object.keys(strings)) {
        if (!used.has(`params.${name}`)) {
            problems.push(
                `${field}.params.${name} is not used by the spec: remove it, or use ` +
                    `it as {{params.${name}}}`,
            );
        }
    }
    return problems;
}

function checkPreset(name: unknown, params: unknown, field: string, rules: UrlRules): string[] {
    if (!(PRESET_NAMES as readonly unknown[]).includes(name)) {
        return [
            `${field}.preset is ${JSON.stringify(name)}, which is not a bundled preset: use ` +
                `one of ${PRESET_NAMES.join(", ")}, or describe the provider with "spec"`,
        ];
    }
    const preset = PRESETS[name as PresetName];
    const problems = checkPresetParams(preset, params, `${field}.params`);
    if (problems.length > 0 || !isObject(params)) return problems;
    for (const param of preset.params) {
        const value = params[param.name];
        if (param.url && typeof value === "string") {
            problems.push(
                ...checkUrlField(
                    value,
                    `${field}.params.${param.name}`,
                    rules,
                    String(param.default ?? "https://api.example.com"),
                ),
            );
        }
    }
    return problems;
}

function checkGoogle(config: Record<string, unknown>, field: string, rules: UrlRules): string[] {
    const problems: string[] = [];
    const project = config.project;
    if (project === undefined) {
        problems.push(
            `${field}.project is missing: give the ID or number of the project that ` +
                "owns the keys",
        );
    } else if (
        typeof project !== "string" ||
        !/^([a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,20})$/.test(project)
    ) {
        problems.push(
            `${field}.project must be a project ID such as "my-bots-prod" or a ` +
                "project number, not a resource name",
        );
    }
    const display = config.displayName;
    if (
        display !== undefined &&
        (typeof display !== "string" || display.trim() === "" || display.length > 40)
    ) {
        problems.push(
            `${field}.displayName must be text of 1 to 40 characters (the attempt ID ` +
                "is appended, and API Keys allows 63)",
        );
    }
    if (config.restrictions !== undefined && !isObject(config.restrictions)) {
        problems.push(
            `${field}.restrictions must be an API Keys restrictions object, e.g. ` +
                '{ "apiTargets": [{ "service": "generativelanguage.googleapis.com" }] }',
        );
    }
    const account = config.serviceAccountEmail;
    if (
        account !== undefined &&
        (typeof account !== "string" ||
            !/^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$/.test(account))
    ) {
        problems.push(
            `${field}.serviceAccountEmail must be a service account's email, e.g. ` +
                '"gemini-bot@my-project.iam.gserviceaccount.com"',
        );
    }
    if (config.verifyUrl !== undefined) {
        problems.push(...checkVerifyUrl(config.verifyUrl, field, rules));
    }
    if (config.endpoint !== undefined) {
        problems.push(
            ...checkUrlField(
                config.endpoint,
                `${field}.endpoint`,
                rules,
                "https://apikeys.googleapis.com",
            ),
        );
    }
    return problems;
}

function checkVerifyUrl(value: unknown, field: string, rules: UrlRules): string[] {
    const example = "https://generativelanguage.googleapis.com/v1beta/models?key={{key}}";
    if (typeof value !== "string") return [`${field}.verifyUrl must be a URL such as "${example}"`];
    const placeholders = placeholdersIn(value);
    const problems: string[] = [];
    if (!placeholders.includes("key")) {
        problems.push(
            `${field}.verifyUrl does not hold {{key}}: put the key where the API ` +
                `expects it, e.g. "${example}"`,
        );
    }
    for (const other of new Set(placeholders.filter((p) => p !== "key"))) {
        problems.push(`${field}.verifyUrl uses {{${other}}}: only {{key}} is filled in there`);
    }
    const filled = value.replace(/\{\{[^{}]*\}\}/g, "x");
    return [...problems, ...checkUrlField(filled, `${field}.verifyUrl`, rules, example)];
}

function checkOAuth(config: Record<string, unknown>, field: string, rules: UrlRules): string[] {
    const problems: string[] = [];
    if (config.provider !== "slack") {
        const got =
            config.provider === undefined ? "is missing" : `is ${JSON.stringify(config.provider)}`;
        problems.push(
            `${field}.provider ${got}: use "slack" (the only refresh-token provider ` +
                "supported)",
        );
    }
    if (typeof config.clientId !== "string" || !/^[0-9]+\.[0-9]+$/.test(config.clientId)) {
        problems.push(
            `${field}.clientId must be the Slack app's client ID, e.g. ` +
                '"1234567890.9876543210" (Basic Information page of the app)',
        );
    }
    if (config.endpoint !== undefined) {
        problems.push(
            ...checkUrlField(config.endpoint, `${field}.endpoint`, rules, "https://slack.com"),
        );
    }
    return problems;
}

function checkManual(config: Record<string, unknown>, field: string, rules: UrlRules): string[] {
    const problems: string[] = [];
    const verify = config.verify;
    if (verify !== undefined && !(MANUAL_VERIFIERS as readonly unknown[]).includes(verify)) {
        problems.push(
            `${field}.verify is ${JSON.stringify(verify)}, which has no built-in ` +
                `check: use one of ${MANUAL_VERIFIERS.join(", ")}, or leave it out`,
        );
    }
    if (config.endpoint !== undefined) {
        if (verify === undefined) {
            problems.push(
                `${field}.endpoint is set but verify is not: name the check it is ` +
                    "for, or remove endpoint",
            );
        }
        problems.push(
            ...checkUrlField(
                config.endpoint,
                `${field}.endpoint`,
                rules,
                "https://api.telegram.org",
            ),
        );
    }
    return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}
