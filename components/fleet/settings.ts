/**
 * Checks a fleet's arguments and fills in the defaults, before any resource is declared. Every
 * problem is collected; the caller throws them together.
 */
import * as gcp from "@pulumi/gcp";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseDuration } from "../../functions/rotator/policy/duration";
import { FleetNames, FLEET_NAME, PROJECT_ID, fleetNames } from "../names";
import { Problems } from "../problems";
import { FunctionArchive, readFunctionArchive } from "./archive";
import { FleetArgs, SlackArgs } from "./args";

/**
 * Default directory of the built function: `dist/function` of this package (the output of
 * `npm run build:function`), found from this file whether it runs compiled
 * (`dist/components/fleet/`) or from source (`components/fleet/`), so that a program importing
 * the package from node_modules gets the package's function, not a path in its own folder.
 */
export const DEFAULT_FUNCTION_DIR =
    [join(__dirname, "..", "..", "function"), join(__dirname, "..", "..", "dist", "function")].find(
        (dir) => existsSync(join(dir, "index.js")),
    ) ?? join(__dirname, "..", "..", "dist", "function");

/** The fleet's arguments once checked, with every default filled in. */
export interface FleetSettings {
    fleetName: string;
    project: string;
    region: string;
    slack: SlackArgs;
    archive: FunctionArchive;
    tickSchedule: string;
    timeZone: string;
    tickRetryCount: number;
    tickDeadlineSeconds: number;
    heartbeatSeconds: number;
    apiKeyProjects: string[];
    maxInstances: number;
    names: FleetNames;
}

const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const SLACK_CHANNEL = /^#[a-z0-9][a-z0-9._-]{0,79}$/;
const WEBHOOK_PREFIX = "https://hooks.slack.com/";

/** Checks `args` of the fleet named `name`; returns the settings, or undefined on problems. */
export function resolveFleetArgs(
    name: string,
    args: FleetArgs,
    problems: Problems,
): FleetSettings | undefined {
    const before = problems.all.length;
    const fleetName = args.fleetName ?? name;
    if (!FLEET_NAME.test(fleetName)) {
        const which =
            args.fleetName === undefined
                ? `fleetName (default: the component name "${name}")`
                : `fleetName "${fleetName}"`;
        problems.add(
            `${which} must be 1 to 20 lowercase letters, digits or hyphens, starting ` +
                "with a letter and not ending with a hyphen (it is a label value and the prefix " +
                "of " +
                'service account IDs): choose a name such as "prod"',
        );
    }
    const project = args.project ?? gcp.config.project;
    if (project === undefined) {
        problems.add(
            "project is missing: pass project, or set gcp:project in the stack " + "configuration",
        );
    } else if (!PROJECT_ID.test(project)) {
        problems.add(
            `project "${project}" is not a project ID (6 to 30 lowercase letters, ` +
                "digits or hyphens, starting with a letter): give the project ID, not its name " +
                "or number",
        );
    }
    const region = args.region ?? gcp.config.region ?? "europe-west1";
    if (!REGION.test(region)) {
        problems.add(
            `region "${region}" is not a Google Cloud region: use a name such as ` +
                '"europe-west1"',
        );
    }
    checkSlack(args.slack, problems);
    const archive = readFunctionArchive(args.functionDir ?? DEFAULT_FUNCTION_DIR, problems);

    const tickSchedule = args.tickSchedule ?? "*/10 * * * *";
    if (tickSchedule.trim().split(/\s+/).length !== 5) {
        problems.add(
            `tickSchedule "${tickSchedule}" must be a cron expression with 5 fields ` +
                '(minute hour day month weekday), e.g. "*/10 * * * *"',
        );
    }
    const tickRetryCount = args.tickRetryCount ?? 2;
    checkInteger(
        tickRetryCount,
        0,
        5,
        "tickRetryCount",
        "Cloud Scheduler retries 0 to 5 times",
        problems,
    );
    const maxInstances = args.maxInstances ?? 2;
    checkInteger(maxInstances, 1, 100, "maxInstances", "one or two are enough for ticks", problems);
    const deadline = seconds(args.tickDeadline ?? "5m", "tickDeadline", problems);
    if (deadline !== undefined && (deadline < 15 || deadline > 1800)) {
        problems.add(
            `tickDeadline (${args.tickDeadline}) must be between "15s" and "30m", ` +
                "the range Cloud Scheduler accepts for an attempt deadline",
        );
    }
    const heartbeatSeconds = seconds(args.heartbeatAbsence ?? "1h", "heartbeatAbsence", problems);
    if (heartbeatSeconds !== undefined && (heartbeatSeconds < 120 || heartbeatSeconds % 60 !== 0)) {
        problems.add(
            `heartbeatAbsence (${args.heartbeatAbsence}) must be whole minutes and at ` +
                'least "2m", the shortest absence Cloud Monitoring can alert on: lengthen it',
        );
    }
    const apiKeyProjects = args.apiKeyProjects ?? [];
    apiKeyProjects.forEach((id, index) => {
        if (!PROJECT_ID.test(id) && !/^\d+$/.test(id)) {
            problems.add(
                `apiKeyProjects[${index}] "${id}" is not a project ID or number: give ` +
                    "the project that owns the API keys",
            );
        } else if (apiKeyProjects.indexOf(id) !== index) {
            problems.add(`apiKeyProjects[${index}] "${id}" is listed twice: remove the repeat`);
        }
    });
    if (problems.all.length > before || project === undefined || archive === undefined) {
        return undefined;
    }
    return {
        fleetName,
        project,
        region,
        slack: args.slack,
        archive,
        tickSchedule,
        timeZone: args.timeZone ?? "Etc/UTC",
        tickRetryCount,
        tickDeadlineSeconds: deadline!,
        heartbeatSeconds: heartbeatSeconds!,
        apiKeyProjects,
        maxInstances,
        names: fleetNames(fleetName, project),
    };
}

function checkSlack(slack: SlackArgs | undefined, problems: Problems) {
    if (slack === undefined) {
        problems.add(
            'slack is missing: give slack.webhookUrl and slack.alertRoute ("native" ' +
                'with channelName and authToken, or "relay"), so that alerts reach someone',
        );
        return;
    }
    const at = problems.at("slack");
    if (slack.webhookUrl === undefined || slack.webhookUrl === "") {
        at.add(
            "webhookUrl is missing: give the Slack incoming-webhook URL the function posts to " +
                "(as a secret)",
        );
    } else if (
        typeof slack.webhookUrl === "string" &&
        !slack.webhookUrl.startsWith(WEBHOOK_PREFIX)
    ) {
        // The value itself is never repeated: a webhook URL is a credential.
        at.add(
            `webhookUrl is not a Slack incoming-webhook URL (${WEBHOOK_PREFIX}services/...): ` +
                "copy it from the Incoming Webhooks page of your Slack app",
        );
    }
    if (slack.alertRoute === "native") {
        if (slack.channelName === undefined) {
            at.add(
                "channelName is missing: give the Slack channel for alerts, e.g. " +
                    '"#bot-alerts" (alertRoute "native" needs it)',
            );
        } else if (!SLACK_CHANNEL.test(slack.channelName)) {
            at.add(
                `channelName "${slack.channelName}" must start with "#" followed by a ` +
                    'lowercase Slack channel name, e.g. "#bot-alerts"',
            );
        }
        if (slack.authToken === undefined || slack.authToken === "") {
            at.add(
                "authToken is missing: give the bot token of the Google Cloud Monitoring " +
                    'Slack app (alertRoute "native" needs it), or use alertRoute "relay"',
            );
        }
    } else if (slack.alertRoute === "relay") {
        for (const field of ["channelName", "authToken"] as const) {
            if (slack[field] !== undefined) {
                at.add(
                    `${field} cannot be combined with alertRoute "relay" (the relay posts to ` +
                        'webhookUrl): remove it, or use alertRoute "native"',
                );
            }
        }
    } else {
        at.add(
            `alertRoute must be "native" or "relay"${describeGot(slack.alertRoute)}: choose ` +
                "how Cloud Monitoring alerts reach Slack",
        );
    }
}

function describeGot(value: unknown): string {
    return value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
}

function checkInteger(
    value: number,
    min: number,
    max: number,
    field: string,
    why: string,
    problems: Problems,
) {
    if (!Number.isInteger(value) || value < min || value > max) {
        problems.add(`${field} (${value}) must be a whole number from ${min} to ${max}: ${why}`);
    }
}

function seconds(text: string, field: string, problems: Problems): number | undefined {
    const parsed = parseDuration(text);
    if (typeof parsed === "string") {
        problems.add(`${field} ${parsed}`);
        return undefined;
    }
    return Math.round(parsed / 1000);
}
