/**
 * Checks the whole stack configuration before any resource is declared: the fleet's and every
 * bot's arguments with the components' own checks, then what only the whole stack can see
 * (duplicate bots and secret IDs, the uptime-check quota). Every problem is reported together,
 * each naming its configuration key.
 */
import * as pulumi from "@pulumi/pulumi";
import { BotSettings, resolveBotArgs } from "../bot/settings";
import { FleetArgs, FleetConnection } from "../fleet/args";
import { FleetSettings, resolveFleetArgs } from "../fleet/settings";
import { Problems, throwIfProblems } from "../problems";
import { BotEntry, NAMESPACE, readStackConfig } from "./config";

/** Cloud Monitoring's limit of uptime checks per project. */
export const UPTIME_CHECK_QUOTA = 100;

/** Stands for the connection of the fleet this stack declares, which does not exist yet. */
const THIS_FLEET: FleetConnection = {
    project: "",
    fleetName: "",
    rotatorEmail: "",
    keySecretRole: "",
    stateSecretRole: "",
};

/** A checked stack: what to declare. */
export interface StackPlan {
    fleetArgs: FleetArgs;
    fleet: FleetSettings;
    bots: { entry: BotEntry; settings: BotSettings }[];
}

/** Reads and checks the stack configuration; throws every problem together. */
export function planStack(): StackPlan {
    const problems = new Problems();
    const config = readStackConfig(problems);
    const fleetProblems = new Problems();
    const fleet = resolveFleetArgs(config.fleet.fleetName!, config.fleet, fleetProblems);
    for (const problem of fleetProblems.all.map(fleetKey)) {
        // A key already reported as unreadable would only be reported again as missing.
        if (!config.unreadable.some((key) => problem.startsWith(`${key} `))) problems.add(problem);
    }

    const bots: StackPlan["bots"] = [];
    for (const entry of config.bots) {
        const at = problems.at(`${NAMESPACE}:bots[${entry.index}]`);
        const args = { ...entry.args, fleet: THIS_FLEET };
        const settings = resolveBotArgs(entry.args.botName, args, at);
        if (settings) bots.push({ entry, settings });
    }
    checkAcrossBots(config.bots, bots, fleet, problems);
    throwIfProblems(`the stack configuration (Pulumi.${pulumi.getStack()}.yaml)`, problems.all);
    // A Google API-key rotator needs apiKeysAdmin on the keys' project: granted once, here.
    const apiKeyProjects = [
        ...new Set(
            bots.flatMap(({ settings, entry }) =>
                settings.secrets
                    .map((secret) => entry.args.secrets[secret.key].rotator)
                    .flatMap((rotator) =>
                        rotator.kind === "google-api-key" ? [rotator.project] : [],
                    ),
            ),
        ),
    ].sort();
    const fleetArgs = { ...config.fleet, apiKeyProjects };
    return { fleetArgs, fleet: { ...fleet!, apiKeyProjects }, bots };
}

/** Names a fleet argument's problem by its configuration key. */
function fleetKey(problem: string): string {
    if (problem.startsWith("project is missing")) {
        return "gcp:project is missing: set it with `pulumi config set gcp:project <project ID>`";
    }
    if (problem.startsWith("project ")) return `gcp:${problem}`;
    return `${NAMESPACE}:${problem}`;
}

function checkAcrossBots(
    entries: BotEntry[],
    bots: StackPlan["bots"],
    fleet: FleetSettings | undefined,
    problems: Problems,
) {
    const key = (index: number) => `${NAMESPACE}:bots[${index}]`;
    const names = new Map<string, number>();
    const repeated = new Set<number>();
    for (const entry of entries) {
        const first = names.get(entry.args.botName);
        if (first === undefined) {
            names.set(entry.args.botName, entry.index);
        } else {
            repeated.add(entry.index);
            problems.add(
                `${key(entry.index)}.name "${entry.args.botName}" is already the name ` +
                    `of ${key(first)}: give each bot its own name`,
            );
        }
    }
    const ids = new Map<string, string>();
    if (fleet) ids.set(fleet.names.webhookSecret, "the fleet's Slack webhook secret");
    const resourceNames = new Map<string, string>();
    // A repeated bot would clash on every secret too; its name problem says it all.
    for (const { entry, settings } of bots.filter(({ entry }) => !repeated.has(entry.index))) {
        for (const secret of settings.secrets) {
            const owner = `${key(entry.index)}.secrets.${secret.key}`;
            const own: [string, string][] = [
                [secret.secretId, "key"],
                [secret.stateSecretId, "state"],
            ];
            if (secret.adminValue !== undefined) own.push([secret.adminSecretId!, "admin"]);
            // The first clash is enough: the state and admin IDs follow from the key's.
            const clash = own.find(([id]) => ids.has(id));
            if (clash !== undefined) {
                problems.add(
                    `${owner}.secretId "${clash[0]}" (its ${clash[1]} secret) is ` +
                        `already the ID of ${ids.get(clash[0])}: give one of them another secretId`,
                );
            }
            for (const [id, role] of own) {
                if (!ids.has(id)) ids.set(id, `the ${role} secret of ${owner}`);
            }
            // Pulumi names a secret's resources "<bot>-<secret>": bot "a" with secret "b-c"
            // and bot "a-b" with secret "c" would clash even with distinct secret IDs.
            const resourceName = `${settings.botName}-${secret.key}`;
            const named = resourceNames.get(resourceName);
            if (named !== undefined) {
                problems.add(
                    `${owner} would name its resources "${resourceName}", like ` +
                        `${named}: rename one of the two secrets`,
                );
            } else resourceNames.set(resourceName, owner);
        }
    }
    const checks = entries.filter((entry) => entry.args.healthCheck !== undefined).length;
    if (checks > UPTIME_CHECK_QUOTA) {
        problems.add(
            `${NAMESPACE}:bots declares ${checks} health checks; Cloud Monitoring ` +
                `allows ${UPTIME_CHECK_QUOTA} uptime checks per project, including any declared ` +
                "elsewhere: drop healthCheck from some bots, or split them across projects",
        );
    }
}
