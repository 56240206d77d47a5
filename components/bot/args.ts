/**
 * Arguments of the `Bot` component.
 */
import * as pulumi from "@pulumi/pulumi";
import { RotatorConfig } from "../../functions/rotator/policy/types";
import { FleetConnection } from "../fleet/args";

/** One of a bot's keys: its secret, and how and how often it is rotated. */
export interface BotSecretArgs {
    /**
     * ID of the key's Secret Manager secret. Default: `<botName>-<short name>`. The companion
     * state secret is `<secretId>-state`. At most 249 characters: letters, digits, `-`, `_`.
     */
    secretId?: string;
    /**
     * How new keys are made: an `http` spec or preset, `google-api-key`, `oauth-refresh` or
     * `manual`. Required.
     */
    rotator: RotatorConfig;
    /** How often the key is replaced, e.g. `"30d"` (`manual`: how long a key lives). Required. */
    rotationPeriod: string;
    /**
     * How long the previous key stays valid after a new one is published; shorter than
     * `rotationPeriod`. Required.
     */
    gracePeriod: string;
    /** How long before a due date reminders start. Default: `"7d"`, capped at rotationPeriod. */
    reminderLead?: string;
    /**
     * Lifetime the provider enforces on new keys where its API has expiry. Default: twice the
     * rotation period plus the grace period; `"none"` turns it off.
     */
    keyLifetime?: string;
    /**
     * ID of an existing secret (in the fleet's project) holding the provider's admin credential.
     * The rotator gets read access to it, and for `oauth-refresh` the right to add versions.
     * Cannot be combined with `adminValue`. Default: none.
     */
    adminSecret?: string;
    /**
     * The admin credential itself: the component creates `<secretId>-admin` holding it, readable
     * by the rotator only. Pass a Pulumi secret. Cannot be combined with `adminSecret`.
     * Default: none. Every rotator but `manual` and `google-api-key` needs one of the two.
     */
    adminValue?: pulumi.Input<string>;
    /**
     * The key's first value (e.g. a Telegram token from BotFather), written once as the first
     * version. Later changes are ignored, so `pulumi up` never rolls back a key the function has
     * rotated since. Pass a Pulumi secret. Default: none.
     */
    initialValue?: pulumi.Input<string>;
    /**
     * Whether the previous key is revoked only once the bot's health endpoint answers 2xx (the
     * policy's `healthUrl` is `healthCheck.url`, called without headers). Default: true when
     * `healthCheck` is given without `headers`; a health check with headers cannot gate.
     */
    healthGate?: boolean;
}

/** An uptime check on the bot's health endpoint. */
export interface HealthCheckArgs {
    /** The health endpoint, an https URL: `"https://weather-bot.example.com/healthz"`. Required. */
    url: string;
    /**
     * Request headers, e.g. `{ Authorization: ... }`. Kept as Pulumi secrets and masked in the
     * Cloud console. Default: none.
     */
    headers?: Record<string, pulumi.Input<string>>;
    /** HTTP status codes that count as healthy. Default: any 2xx. */
    acceptedStatusCodes?: number[];
    /** Text the body must contain. Cannot be combined with `jsonPath`. Default: none. */
    bodyContains?: string;
    /**
     * A JSON path into the body and the value it must equal, e.g.
     * `{ path: "$.status", equals: "ok" }`. Cannot be combined with `bodyContains`. Default: none.
     */
    jsonPath?: { path: string; equals: string };
    /**
     * Seconds between checks: 60, 300, 600 or 900. Default: 300. A check runs from every region
     * each period and executions are billed: at 60 s and 3 regions a check is about 130,000
     * executions a month (about $39 past the free tier), at 300 s about 26,000.
     */
    periodSeconds?: number;
    /**
     * Checker regions, at least 3 of `USA_OREGON`, `USA_IOWA`, `USA_VIRGINIA`, `EUROPE`,
     * `SOUTH_AMERICA`, `ASIA_PACIFIC`. Default: `["EUROPE", "USA_VIRGINIA", "ASIA_PACIFIC"]`.
     */
    regions?: string[];
    /** Seconds to wait for an answer, 1 to 60. Default: 10. */
    timeoutSeconds?: number;
}

/** Arguments of the `Bot` component: one bot, its keys, who reads them, and its health check. */
export interface BotArgs {
    /**
     * What the bot needs from its fleet: `Fleet.connection`, or the same values exported by the
     * fleet's stack and read with a `StackReference`. Required.
     */
    fleet: pulumi.Input<FleetConnection>;
    /**
     * The bot's name, in secret IDs, labels, policies and alerts: 1 to 63 lowercase letters,
     * digits or hyphens, starting with a letter. Default: the component's name.
     */
    botName?: string;
    /**
     * IAM members that read the bot's keys, e.g. the bot's runtime service account
     * (`"serviceAccount:weather-bot@my-project.iam.gserviceaccount.com"`). They get
     * `roles/secretmanager.secretAccessor` on this bot's key secrets and nothing else.
     * `allUsers` and `allAuthenticatedUsers` are refused. Default: none.
     */
    readers?: pulumi.Input<string>[];
    /** The bot's keys by short name (lowercase letters, digits, hyphens). Required, one or more. */
    secrets: Record<string, BotSecretArgs>;
    /** An uptime check on the bot's health endpoint. Default: none. */
    healthCheck?: HealthCheckArgs;
    /**
     * Regions for user-managed replication of the bot's secrets, e.g. `["europe-west1"]`.
     * Cannot be changed once the secrets exist. Default: automatic replication.
     */
    replicaLocations?: string[];
    /** Whether Pulumi refuses to delete the bot's key and state secrets. Default: true. */
    deletionProtection?: boolean;
    /**
     * How long a destroyed key version stays disabled, and restorable, before Secret Manager
     * destroys it: `"1d"` to `"30d"`. Default: `"7d"`.
     */
    versionDestroyDelay?: string;
}
