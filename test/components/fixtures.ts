/**
 * Arguments shared by the component tests, and a stand-in for the built function: a temporary
 * directory with an `index.js` and a `package.json`, so the tests do not depend on the build.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { BotArgs, BotSecretArgs } from "../../components/bot/args";
import { FleetArgs, FleetConnection } from "../../components/fleet/args";

/** Project used by every test. */
export const PROJECT = "kw-test-project";

/** Values Pulumi must treat as secrets; tests check they never appear unmarked. */
export const SECRET_VALUES = {
    webhookUrl: "https://hooks.slack.com/services/T000/B000/fixture-webhook",
    authToken: "xoxb-fixture-token",
    adminKey: "SG.fixture-admin-key",
    initialKey: "123456:fixture-telegram-token",
    healthToken: "Bearer fixture-health-token",
};

const created: string[] = [];

/** Creates a directory that looks like `dist/function`; removed by `removeFunctionDirs`. */
export function makeFunctionDir(files: Record<string, string> = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keywarden-fn-"));
    created.push(dir);
    const all = {
        "index.js": "exports.keywarden = (req, res) => res.send('ok');\n",
        "package.json": '{"name":"keywarden-function","main":"index.js"}\n',
        ...files,
    };
    for (const [name, content] of Object.entries(all)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
}

/** Removes every directory `makeFunctionDir` created. */
export function removeFunctionDirs(): void {
    for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Fleet arguments with the native Slack route. */
export function nativeFleetArgs(functionDir: string, extra: Partial<FleetArgs> = {}): FleetArgs {
    return {
        fleetName: "prod",
        project: PROJECT,
        region: "europe-west1",
        functionDir,
        slack: {
            webhookUrl: pulumi.secret(SECRET_VALUES.webhookUrl),
            alertRoute: "native",
            channelName: "#bot-alerts",
            authToken: pulumi.secret(SECRET_VALUES.authToken),
        },
        ...extra,
    };
}

/** Fleet arguments with the webhook relay. */
export function relayFleetArgs(functionDir: string, extra: Partial<FleetArgs> = {}): FleetArgs {
    return nativeFleetArgs(functionDir, {
        slack: { webhookUrl: pulumi.secret(SECRET_VALUES.webhookUrl), alertRoute: "relay" },
        ...extra,
    });
}

/** A connection as a fleet in another stack would export it. */
export const CONNECTION: FleetConnection = {
    project: PROJECT,
    fleetName: "prod",
    rotatorEmail: `prod-rotator@${PROJECT}.iam.gserviceaccount.com`,
    keySecretRole: `projects/${PROJECT}/roles/keywarden_prod_key`,
    stateSecretRole: `projects/${PROJECT}/roles/keywarden_prod_state`,
};

/** A SendGrid key rotated by the preset, with its admin key given as a value. */
export function sendgridSecret(extra: Partial<BotSecretArgs> = {}): BotSecretArgs {
    return {
        rotator: { kind: "http", preset: "sendgrid" },
        rotationPeriod: "30d",
        gracePeriod: "2d",
        adminValue: pulumi.secret(SECRET_VALUES.adminKey),
        ...extra,
    };
}

/** A Telegram token replaced by hand, with its first value. */
export function telegramSecret(extra: Partial<BotSecretArgs> = {}): BotSecretArgs {
    return {
        rotator: { kind: "manual", verify: "telegram" },
        rotationPeriod: "90d",
        gracePeriod: "1d",
        initialValue: pulumi.secret(SECRET_VALUES.initialKey),
        ...extra,
    };
}

/** A bot with a SendGrid key, a Telegram token, a reader and a health check. */
export function botArgs(
    fleet: pulumi.Input<FleetConnection>,
    extra: Partial<BotArgs> = {},
): BotArgs {
    return {
        fleet,
        readers: [`serviceAccount:mailer@${PROJECT}.iam.gserviceaccount.com`],
        secrets: { sendgrid: sendgridSecret(), telegram: telegramSecret() },
        healthCheck: {
            url: "https://mailer.example.com/healthz",
            headers: { Authorization: pulumi.secret(SECRET_VALUES.healthToken) },
            jsonPath: { path: "$.status", equals: "ok" },
        },
        ...extra,
    };
}
