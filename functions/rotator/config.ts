/**
 * The function's settings, read once from its environment (set by the fleet component).
 * A missing or malformed variable stops the function with a message naming it, rather than
 * letting it run against the wrong project or fleet.
 */
import { parseDuration } from "./policy/duration";

/** Settings of one deployed rotator function. */
export interface RotatorConfig {
    /** Project whose secrets this function manages (`KEYWARDEN_PROJECT`). */
    project: string;
    /** Fleet name: the value of the managed label (`KEYWARDEN_FLEET`). */
    fleet: string;
    /**
     * Full name of the secret holding the Slack webhook URL (`KEYWARDEN_SLACK_WEBHOOK_SECRET`), if
     * any.
     */
    slackWebhookSecret?: string;
    /**
     * Lock lease (`KEYWARDEN_LEASE`, default "10m"): how long a crashed attempt blocks its secret.
     */
    leaseMs: number;
    /**
     * Permit http:// and loopback targets (`KEYWARDEN_ALLOW_LOOPBACK=true`): the local sandbox
     * and tests only.
     */
    allowLoopback: boolean;
}

/** A variable is missing or malformed. */
export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

const PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^\d{1,20}$/;
const LABEL_VALUE = /^[a-z0-9_-]{1,63}$/;
const SECRET_NAME = /^projects\/[^/]+\/secrets\/[A-Za-z0-9_-]{1,255}$/;

/** Reads and checks the environment; throws `ConfigError` listing every problem. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): RotatorConfig {
    const problems: string[] = [];
    const project = env.KEYWARDEN_PROJECT ?? "";
    if (!PROJECT.test(project)) {
        problems.push(
            "KEYWARDEN_PROJECT must be the project ID (6-30 lowercase letters, digits, dashes) " +
                "or number",
        );
    }
    const fleet = env.KEYWARDEN_FLEET ?? "";
    if (!LABEL_VALUE.test(fleet)) {
        problems.push(
            "KEYWARDEN_FLEET must be the fleet name as a label value (1-63 of a-z, 0-9, _ and -)",
        );
    }
    const slackWebhookSecret = env.KEYWARDEN_SLACK_WEBHOOK_SECRET || undefined;
    if (slackWebhookSecret && !SECRET_NAME.test(slackWebhookSecret)) {
        problems.push(
            "KEYWARDEN_SLACK_WEBHOOK_SECRET must be a full secret name, " +
                "projects/PROJECT/secrets/ID",
        );
    }
    const lease = parseDuration(env.KEYWARDEN_LEASE ?? "10m");
    if (typeof lease === "string") problems.push(`KEYWARDEN_LEASE ${lease}`);
    const loopback = env.KEYWARDEN_ALLOW_LOOPBACK ?? "false";
    if (loopback !== "true" && loopback !== "false") {
        problems.push('KEYWARDEN_ALLOW_LOOPBACK must be "true" or "false"');
    }
    if (problems.length > 0) {
        throw new ConfigError(`the rotator function is misconfigured:\n- ${problems.join("\n- ")}`);
    }
    return {
        project,
        fleet,
        slackWebhookSecret,
        leaseMs: lease as number,
        allowLoopback: loopback === "true",
    };
}
