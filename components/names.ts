/**
 * Google Cloud names the components derive from the fleet, bot and secret names, and the limits
 * those names must respect. Deriving every name in one place keeps them stable (a rename would
 * replace the resource) and lets validation check the longest derived name before anything is
 * declared.
 */

/**
 * Fleet names: the value of the fleet label (lowercase) and the prefix of service account IDs,
 * whose 30-character limit leaves 20 characters once "-scheduler" is appended.
 */
export const FLEET_NAME = /^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/;

/** Bot names and the short names of a bot's secrets: label values (at most 63), lowercase. */
export const BOT_NAME = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Secret Manager secret IDs: letters, digits, `-` and `_`, at most 255 characters. */
export const SECRET_ID_CHARS = /^[A-Za-z0-9_-]+$/;

/** The longest secret ID a key's secret may have: its state and admin secrets add 6 characters. */
export const MAX_KEY_SECRET_ID = 255 - "-state".length;

/** Suffix of the companion state secret's ID. */
export const STATE_SUFFIX = "-state";

/** Suffix of an admin-credential secret the bot component creates from a value. */
export const ADMIN_SUFFIX = "-admin";

/** Label naming the bot on its secrets and uptime check, for filters and the dashboard. */
export const BOT_LABEL = "keywarden-bot";

/** Project IDs: 6 to 30 lowercase letters, digits or hyphens, starting with a letter. */
export const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** Every Google name the fleet derives from its fleet name (and project, for the bucket). */
export interface FleetNames {
    rotatorAccount: string;
    schedulerAccount: string;
    relayAccount: string;
    relaySubscription: string;
    functionName: string;
    tickJob: string;
    alertTopic: string;
    webhookSecret: string;
    listRole: string;
    keySecretRole: string;
    stateSecretRole: string;
    bucket: string;
    metricPrefix: string;
}

/** Derives the fleet's resource names. */
export function fleetNames(fleet: string, project: string): FleetNames {
    // Custom role IDs allow letters, digits, `_` and `.` only: no hyphens.
    const role = `keywarden_${fleet.replace(/-/g, "_")}`;
    return {
        rotatorAccount: `${fleet}-rotator`,
        schedulerAccount: `${fleet}-scheduler`,
        relayAccount: `${fleet}-relay`,
        relaySubscription: `${fleet}-alert-relay`,
        functionName: `${fleet}-rotator`,
        tickJob: `${fleet}-tick`,
        alertTopic: `${fleet}-alerts`,
        webhookSecret: `${fleet}-slack-webhook`,
        listRole: `${role}_list`,
        keySecretRole: `${role}_key`,
        stateSecretRole: `${role}_state`,
        // Bucket names are global; project IDs are too, so the project makes this one unique.
        // At most 30 + 1 + 20 + 10 = 61 characters, within the bucket limit of 63.
        bucket: `${project}-${fleet}-keywarden`,
        metricPrefix: `keywarden/${fleet}`,
    };
}

/** Default secret ID of a bot's key: bot name and the secret's short name. */
export function defaultSecretId(bot: string, secret: string): string {
    return `${bot}-${secret}`;
}
