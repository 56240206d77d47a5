/**
 * Checks a bot's arguments and fills in the defaults, before any resource is declared. Every
 * problem is collected; the caller throws them together.
 */
import * as pulumi from "@pulumi/pulumi";
import { formatDuration, parseDuration } from "../../functions/rotator/policy/duration";
import {
    ADMIN_SUFFIX,
    BOT_NAME,
    defaultSecretId,
    MAX_KEY_SECRET_ID,
    SECRET_ID_CHARS,
    STATE_SUFFIX,
} from "../names";
import { Problems } from "../problems";
import { BotArgs, BotSecretArgs } from "./args";
import { checkReader } from "./readers";
import { buildPolicy, checkPolicy } from "./policy";
import { HealthSettings, resolveHealthCheck } from "./uptime";

/** One checked key of a bot, with every secret ID it uses. */
export interface SecretSettings {
    /** Short name: the key of `BotArgs.secrets`. */
    key: string;
    secretId: string;
    stateSecretId: string;
    /** The admin credential's secret, existing or created. */
    adminSecretId?: string;
    /** Set when the component creates the admin secret from this value. */
    adminValue?: pulumi.Input<string>;
    /** Whether the rotator may add versions to the admin secret (`oauth-refresh`). */
    adminWritable: boolean;
    initialValue?: pulumi.Input<string>;
    /** The policy annotation, checked. */
    policyJson: string;
}

/** A bot's arguments once checked, with defaults filled in. */
export interface BotSettings {
    botName: string;
    readers: pulumi.Input<string>[];
    secrets: SecretSettings[];
    health?: HealthSettings;
    replicaLocations?: string[];
    deletionProtection: boolean;
    /** `versionDestroyDelay` in Secret Manager's form, e.g. `"604800s"`. */
    versionDestroyTtl: string;
}

const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const NO_ADMIN = new Set(["manual", "google-api-key"]);
const DAY_MS = 24 * 3600_000;

/** Checks `args` of the bot component named `name`; returns settings, or undefined on problems. */
export function resolveBotArgs(
    name: string,
    args: BotArgs,
    problems: Problems,
): BotSettings | undefined {
    const before = problems.all.length;
    if (args.fleet === undefined) {
        problems.add(
            "fleet is missing: pass the fleet's `connection` output, or the same values " +
                "read from the fleet's stack with a StackReference",
        );
    }
    const botName = args.botName ?? name;
    const namesOk = BOT_NAME.test(botName);
    if (!namesOk) {
        const which =
            args.botName === undefined
                ? `botName (default: the component name "${name}")`
                : `botName "${botName}"`;
        problems.add(
            `${which} must be 1 to 63 lowercase letters, digits or hyphens, starting ` +
                "with a letter and not ending with a hyphen (it is a label value): e.g. " +
                '"weather-bot"',
        );
    }
    const readers = args.readers ?? [];
    readers.forEach((member, index) => {
        const problem = typeof member === "string" ? checkReader(member) : undefined;
        if (problem) problems.add(`readers[${index}] ${problem}`);
    });
    const health =
        args.healthCheck === undefined ? undefined : resolveHealthCheck(args.healthCheck, problems);
    (args.replicaLocations ?? []).forEach((location, index) => {
        if (!REGION.test(location)) {
            problems.add(
                `replicaLocations[${index}] "${location}" is not a region: use a name ` +
                    'such as "europe-west1"',
            );
        }
    });
    if (args.replicaLocations !== undefined && args.replicaLocations.length === 0) {
        problems.add(
            "replicaLocations is empty: list at least one region, or leave it out for " +
                "automatic replication",
        );
    }
    const delay = args.versionDestroyDelay ?? "7d";
    const delayMs = parseDuration(delay);
    if (typeof delayMs === "string") {
        problems.add(`versionDestroyDelay ${delayMs}`);
    } else if (delayMs < DAY_MS || delayMs > 30 * DAY_MS) {
        problems.add(
            `versionDestroyDelay (${formatDuration(delayMs)}) must be from "1d" to ` +
                '"30d", the range Secret Manager accepts for delayed destruction',
        );
    }

    const entries = Object.entries(args.secrets ?? {});
    if (entries.length === 0) {
        problems.add(
            "secrets is empty: give at least one key, e.g. " +
                "`secrets: { api: { rotator, rotationPeriod, gracePeriod } }`",
        );
    }
    const owners = new Map<string, string>();
    const secrets: SecretSettings[] = [];
    for (const [key, secret] of entries) {
        const resolved = resolveSecret(
            botName,
            namesOk,
            key,
            secret,
            health,
            owners,
            problems.at("secrets"),
        );
        if (resolved) secrets.push(resolved);
    }
    if (problems.all.length > before) return undefined;
    return {
        botName,
        readers,
        secrets,
        health,
        replicaLocations: args.replicaLocations,
        deletionProtection: args.deletionProtection ?? true,
        versionDestroyTtl: `${Math.round((delayMs as number) / 1000)}s`,
    };
}

function resolveSecret(
    botName: string,
    botNameOk: boolean,
    key: string,
    secret: BotSecretArgs,
    health: HealthSettings | undefined,
    owners: Map<string, string>,
    secrets: Problems,
): SecretSettings | undefined {
    if (!BOT_NAME.test(key)) {
        secrets.add(
            `["${key}"] has an invalid short name: use 1 to 63 lowercase letters, digits ` +
                "or hyphens, starting with a letter (it names the Pulumi resources and the " +
                "default secret ID)",
        );
        return undefined;
    }
    const at = secrets.at(key);
    if (typeof secret !== "object" || secret === null) {
        at.add("is not an object: give rotator, rotationPeriod and gracePeriod");
        return undefined;
    }
    const before = at.all.length;
    const secretId = secret.secretId ?? defaultSecretId(botName, key);
    if (secret.secretId !== undefined && !SECRET_ID_CHARS.test(secretId)) {
        at.add(
            `secretId "${secretId}" may only hold letters, digits, "-" and "_" (Secret ` +
                "Manager's rule): rename it",
        );
    } else if (secretId.length > MAX_KEY_SECRET_ID) {
        at.add(
            `secretId is ${secretId.length} characters long; at most ${MAX_KEY_SECRET_ID} ` +
                'are allowed (Secret Manager allows 255, and the state secret adds "-state"): ' +
                "shorten it",
        );
    }
    const kind = (secret.rotator as { kind?: unknown } | undefined)?.kind;
    if (secret.adminSecret !== undefined && secret.adminValue !== undefined) {
        at.add(
            "adminSecret cannot be combined with adminValue: use adminSecret for an " +
                "existing secret, or adminValue to have the component create one",
        );
    }
    if (typeof kind === "string" && NO_ADMIN.has(kind)) {
        for (const field of ["adminSecret", "adminValue"] as const) {
            if (secret[field] !== undefined) {
                at.add(`${field} is not used by rotator kind "${kind}": remove it`);
            }
        }
    }
    // The rotator calls the health URL with no headers: the policy that carries the URL is
    // plain text, so it cannot hold header values, which are often credentials. A health check
    // with headers therefore gates nothing by default, and cannot be asked to.
    const healthHeaders = Object.keys(health?.args.headers ?? {}).length > 0;
    const healthGate = secret.healthGate ?? (health !== undefined && !healthHeaders);
    if (healthGate && health === undefined) {
        at.add(
            "healthGate needs the bot's healthCheck: add healthCheck with the bot's health " +
                "URL, or remove healthGate",
        );
    } else if (healthGate && healthHeaders) {
        at.add(
            "healthGate cannot be used with healthCheck.headers: the rotator calls the health " +
                "URL without headers (the policy that carries the URL is plain text), so the " +
                "gate would never open; remove healthGate, or point healthCheck at a path that " +
                "needs no headers",
        );
    }
    const stateSecretId = `${secretId}${STATE_SUFFIX}`;
    const adminSecretId =
        secret.adminValue !== undefined ? `${secretId}${ADMIN_SUFFIX}` : secret.adminSecret;
    claim(owners, secretId, `secrets.${key}`, "key", at);
    claim(owners, stateSecretId, `secrets.${key}`, "state", at);
    if (secret.adminValue !== undefined) {
        claim(owners, adminSecretId!, `secrets.${key}`, "admin", at);
    }
    if (!botNameOk || at.all.length > before) return undefined;

    const policy = buildPolicy(
        botName,
        secret,
        stateSecretId,
        adminSecretId,
        healthGate ? health?.args.url : undefined,
    );
    const policyJson = checkPolicy(policy, at);
    if (policyJson === undefined) return undefined;
    return {
        key,
        secretId,
        stateSecretId,
        adminSecretId,
        adminValue: secret.adminValue,
        adminWritable: kind === "oauth-refresh",
        initialValue: secret.initialValue,
        policyJson,
    };
}

/** Records that `owner` uses secret ID `id` for its `role` secret, or a problem if taken. */
function claim(owners: Map<string, string>, id: string, owner: string, role: string, at: Problems) {
    const previous = owners.get(id);
    if (previous !== undefined) {
        at.add(
            `secretId "${id}" (its ${role} secret) is already the ID of ${previous}: give ` +
                "one of them another secretId",
        );
    } else {
        owners.set(id, `the ${role} secret of ${owner}`);
    }
}
