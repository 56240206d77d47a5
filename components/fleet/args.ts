/**
 * Arguments of the `Fleet` component and the values it hands to bots.
 */
import * as pulumi from "@pulumi/pulumi";

/** How Cloud Monitoring alerts reach Slack. */
export type SlackAlertRoute = "native" | "relay";

/** Where Slack messages go: the function's own messages, and Cloud Monitoring's alerts. */
export interface SlackArgs {
    /**
     * The Slack incoming-webhook URL the function posts its own messages to (rotations,
     * reminders, failures), and, with `alertRoute: "relay"`, the alerts it relays. Required.
     * Stored in a Secret Manager secret only the rotator can read; pass a Pulumi secret.
     */
    webhookUrl: pulumi.Input<string>;
    /**
     * How Cloud Monitoring alerts reach Slack. Required (there is no default, so that a stack
     * without a Slack route fails at preview time instead of alerting nobody).
     * - `"native"`: Monitoring's own Slack channel type; needs `channelName` and `authToken`.
     * - `"relay"`: Monitoring publishes incidents to a Pub/Sub topic, a push subscription sends
     *   them to the function's `/relay` route, and the function posts them to `webhookUrl`
     *   (Slack refuses Monitoring's webhook JSON, so a plain webhook channel cannot work).
     *   Cannot be combined with `channelName` or `authToken`.
     */
    alertRoute: SlackAlertRoute;
    /** Slack channel for alerts, e.g. `"#bot-alerts"`. Required with `alertRoute: "native"`. */
    channelName?: string;
    /**
     * Bot token (`xoxb-...`) of the Google Cloud Monitoring Slack app, kept as a sensitive
     * label of the channel. Required with `alertRoute: "native"`; pass a Pulumi secret.
     */
    authToken?: pulumi.Input<string>;
}

/** Arguments of the `Fleet` component: one fleet per environment. */
export interface FleetArgs {
    /**
     * The fleet's name: the value of the `keywarden-fleet` label on every secret the fleet
     * manages, and the prefix of its service accounts, function, job, roles and metrics.
     * 1 to 20 lowercase letters, digits or hyphens, starting with a letter. Default: the
     * component's name.
     */
    fleetName?: string;
    /**
     * Project that holds the fleet and its bots' secrets. Default: the provider's project
     * (`gcp:project`).
     */
    project?: string;
    /**
     * Region of the function, the scheduler job and the source bucket. Default: the provider's
     * region (`gcp:region`), else `"europe-west1"`.
     */
    region?: string;
    /** Slack route for alerts and the function's messages. Required. */
    slack: SlackArgs;
    /**
     * Directory holding the built function (`index.js` and `package.json`, made by
     * `npm run build:function`). Default: the function built into this package
     * (its `dist/function`).
     */
    functionDir?: string;
    /** Cron schedule (5 fields) of the reconcile tick. Default: every 10 minutes. */
    tickSchedule?: string;
    /** Time zone of `tickSchedule` (IANA name). Default: `"Etc/UTC"`. */
    timeZone?: string;
    /**
     * How many times the scheduler retries a failed tick, 0 to 5. Default: 2. A retry is safe:
     * every step of a tick can be repeated.
     */
    tickRetryCount?: number;
    /**
     * How long the scheduler waits for a tick to answer, and the function's timeout: `"15s"` to
     * `"30m"`. Default: `"5m"`.
     */
    tickDeadline?: string;
    /**
     * How long without a completed tick before the heartbeat alert fires; at least `"2m"`
     * (Cloud Monitoring's minimum for absence conditions) and whole minutes. Default: `"1h"`.
     */
    heartbeatAbsence?: string;
    /**
     * Projects whose Google API keys (Maps, Gemini...) `google-api-key` rotators manage. The
     * rotator gets `roles/serviceusage.apiKeysAdmin` on each, and on no other project.
     * Default: none (list them only when such a bot exists).
     */
    apiKeyProjects?: string[];
    /** Most function instances at once. Default: 2 (ticks are short; locks serialise work). */
    maxInstances?: number;
}

/**
 * What a bot needs from its fleet: `Fleet.connection`. A bot declared in another stack takes
 * the same values from a `StackReference` to the fleet's stack.
 */
export interface FleetConnection {
    /** Project of the fleet; the bot's secrets are created there. */
    project: string;
    /** The fleet's name: the value of the fleet label on the bot's secrets. */
    fleetName: string;
    /** Email of the rotator's service account. */
    rotatorEmail: string;
    /** Custom role (full name) the rotator gets on each key's secret. */
    keySecretRole: string;
    /** Custom role (full name) the rotator gets on each state secret. */
    stateSecretRole: string;
}
