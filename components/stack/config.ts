/**
 * Reads the stack configuration (Pulumi.<stack>.yaml, namespace `keywarden`) into the fleet's
 * and the bots' arguments. The keys are named like the components' arguments, so that a
 * problem found in an argument names its configuration key by prefixing `keywarden:`.
 *
 * Values stay plain here, for validation; `secretArgs` wraps the credentials as Pulumi secrets
 * before anything is declared.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { BotArgs } from "../bot/args";
import { FleetArgs } from "../fleet/args";
import { BOT_NAME } from "../names";
import { Problems } from "../problems";
import { checkShape, isObject, Shape } from "./shape";

/** Configuration namespace: the Pulumi project's name. */
export const NAMESPACE = "keywarden";

const SLACK: Shape = {
    fields: {
        webhookUrl: "string",
        alertRoute: "string",
        channelName: "string",
        authToken: "string",
    },
};
const HEALTH_CHECK: Shape = {
    fields: {
        url: "string",
        headers: { mapOf: "string" },
        acceptedStatusCodes: "numbers",
        bodyContains: "string",
        jsonPath: { fields: { path: "string", equals: "string" } },
        periodSeconds: "number",
        regions: "strings",
        timeoutSeconds: "number",
    },
};
const SECRET: Shape = {
    fields: {
        secretId: "string",
        rotator: "any",
        rotationPeriod: "string",
        gracePeriod: "string",
        reminderLead: "string",
        keyLifetime: "string",
        adminSecret: "string",
        adminValue: "string",
        initialValue: "string",
        healthGate: "boolean",
    },
};
const BOT: Shape = {
    fields: {
        name: "string",
        readers: "strings",
        secrets: { mapOf: SECRET },
        healthCheck: HEALTH_CHECK,
        replicaLocations: "strings",
        deletionProtection: "boolean",
        versionDestroyDelay: "string",
    },
};

/** Top-level keys, each with how it is read. */
export const CONFIG_KEYS: Record<string, "string" | "integer" | Shape> = {
    fleetName: "string",
    region: "string",
    functionDir: "string",
    tickSchedule: "string",
    timeZone: "string",
    tickRetryCount: "integer",
    tickDeadline: "string",
    heartbeatAbsence: "string",
    maxInstances: "integer",
    slack: SLACK,
    bots: "any",
};

/** One entry of `keywarden:bots`. */
export interface BotEntry {
    /** Position in `keywarden:bots`, for messages. */
    index: number;
    args: Omit<BotArgs, "fleet"> & { botName: string };
}

/** The stack's configuration as component arguments, values still plain. */
export interface StackConfig {
    fleet: FleetArgs;
    bots: BotEntry[];
    /** Keys whose value is not even of the right kind; their problem is already recorded. */
    unreadable: string[];
}

/** Reads the configuration; problems are recorded under their `keywarden:` keys. */
export function readStackConfig(problems: Problems): StackConfig {
    const config = new pulumi.Config(NAMESPACE);
    const values: Record<string, unknown> = {};
    const unreadable: string[] = [];
    const given = Object.keys(pulumi.runtime.allConfig())
        .filter((key) => key.startsWith(`${NAMESPACE}:`))
        .map((key) => key.slice(NAMESPACE.length + 1));
    for (const name of given.filter((name) => !(name in CONFIG_KEYS)).sort()) {
        problems.add(
            `${NAMESPACE}:${name} is not a keywarden setting: remove or rename it ` +
                `(settings: ${Object.keys(CONFIG_KEYS).join(", ")})`,
        );
    }
    for (const [name, kind] of Object.entries(CONFIG_KEYS)) {
        if (!given.includes(name)) continue;
        const key = `${NAMESPACE}:${name}`;
        if (kind === "string") {
            values[name] = config.get(name);
        } else if (kind === "integer") {
            const text = config.get(name)!;
            if (/^\d+$/.test(text)) values[name] = Number(text);
            else problems.add(`${key} must be a whole number`);
        } else {
            const value = readObject(config, name);
            if (value === undefined) {
                const wanted = name === "bots" ? "a list of bots" : "a mapping of settings";
                problems.add(`${key} must be ${wanted} in YAML, not plain text`);
                unreadable.push(key);
                continue;
            }
            checkShape(value, kind, problems, key);
            // Kept even with a wrong field, so the fleet's checks do not also call it missing;
            // they test each field's type before using it.
            if (isObject(value) || Array.isArray(value)) values[name] = value;
        }
    }
    const { bots, ...fleetValues } = values;
    const fleet: FleetArgs = {
        ...(fleetValues as Partial<FleetArgs>),
        fleetName: (values.fleetName as string | undefined) ?? pulumi.getStack(),
        project: gcp.config.project,
        slack: values.slack as FleetArgs["slack"],
    };
    return { fleet, bots: readBots(bots, problems), unreadable };
}

/** A structured value, or undefined when the text is not JSON (a scalar given by mistake). */
function readObject(config: pulumi.Config, name: string): unknown {
    try {
        return config.getObject<unknown>(name);
    } catch {
        return undefined;
    }
}

function readBots(value: unknown, problems: Problems): BotEntry[] {
    if (value === undefined) return [];
    const key = `${NAMESPACE}:bots`;
    if (!Array.isArray(value)) {
        const kind = isObject(value) ? "an object" : `a ${typeof value}`;
        problems.add(`${key} must be a list of bots, not ${kind}`);
        return [];
    }
    const bots: BotEntry[] = [];
    value.forEach((entry: unknown, index) => {
        const field = `${key}[${index}]`;
        if (!checkShape(entry, BOT, problems, field)) return;
        const { name, ...rest } = entry as Record<string, unknown>;
        if (typeof name !== "string") {
            problems.add(`${field}.name is missing: give the bot's name, e.g. "weather-bot"`);
        } else if (!BOT_NAME.test(name)) {
            problems.add(
                `${field}.name "${name}" must be 1 to 63 lowercase letters, digits or ` +
                    "hyphens, starting with a letter and not ending with a hyphen (it is a label " +
                    'value): e.g. "weather-bot"',
            );
        } else {
            bots.push({ index, args: { ...(rest as Omit<BotArgs, "fleet">), botName: name } });
        }
    });
    return bots;
}

/** The fleet's arguments with the Slack webhook URL and token as Pulumi secrets. */
export function secretFleetArgs(args: FleetArgs): FleetArgs {
    const { webhookUrl, authToken } = args.slack;
    return {
        ...args,
        slack: {
            ...args.slack,
            webhookUrl: pulumi.secret(webhookUrl),
            authToken: authToken === undefined ? undefined : pulumi.secret(authToken),
        },
    };
}

/** A bot's arguments with admin values, initial values and health-check headers as secrets. */
export function secretBotArgs(args: BotArgs): BotArgs {
    const secret = (value: pulumi.Input<string> | undefined) =>
        value === undefined ? undefined : pulumi.secret(value);
    const secrets: BotArgs["secrets"] = {};
    for (const [key, entry] of Object.entries(args.secrets)) {
        secrets[key] = {
            ...entry,
            adminValue: secret(entry.adminValue),
            initialValue: secret(entry.initialValue),
        };
    }
    const health = args.healthCheck;
    const headers =
        health?.headers === undefined
            ? undefined
            : Object.fromEntries(Object.entries(health.headers).map(([k, v]) => [k, secret(v)!]));
    return { ...args, secrets, healthCheck: health && { ...health, headers } };
}
