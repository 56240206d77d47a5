/**
 * A wrong stack configuration fails before anything is declared, with every problem in one
 * message, each naming its configuration key and the fix. Each case compares the whole message.
 */
import * as assert from "assert";
import { runStack } from "../../components/stack/program";
import { runUnderMocks } from "./harness";
import { makeFunctionDir, removeFunctionDirs } from "./fixtures";
import { T } from "./tokens";

const WEBHOOK = "https://hooks.slack.com/services/T0/B0/stand-in";
/** Environment variables the provider falls back on for its project. */
const PROJECT_ENV = [
    "GOOGLE_PROJECT",
    "GOOGLE_CLOUD_PROJECT",
    "GCLOUD_PROJECT",
    "CLOUDSDK_CORE_PROJECT",
];

/** The message of a KeywardenConfigError about the test stack, written out independently. */
function message(...problems: string[]): string {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    return (
        `keywarden found ${count} in the stack configuration (Pulumi.test.yaml); nothing ` +
        "was declared:\n" +
        problems.map((problem) => `  - ${problem}`).join("\n")
    );
}

/** A bot with a Telegram token on reminders, optionally with a health check. */
function bot(name: string, extra: Record<string, unknown> = {}) {
    return {
        name,
        secrets: {
            telegram: {
                rotator: { kind: "manual", verify: "telegram" },
                rotationPeriod: "90d",
                gracePeriod: "1d",
            },
        },
        ...extra,
    };
}

describe("Stack configuration validation", () => {
    let functionDir: string;
    const savedEnv: Record<string, string | undefined> = {};
    before(() => {
        functionDir = makeFunctionDir();
        for (const name of PROJECT_ENV) {
            savedEnv[name] = process.env[name];
            delete process.env[name];
        }
    });
    after(() => {
        removeFunctionDirs();
        for (const name of PROJECT_ENV) {
            if (savedEnv[name] !== undefined) process.env[name] = savedEnv[name];
        }
    });

    /** Runs the stack program with `config` on top of a valid one; returns its error message. */
    async function messageOf(config: Record<string, unknown>): Promise<string> {
        const values: Record<string, unknown> = {
            "gcp:project": "acme-bots-test",
            "keywarden:functionDir": functionDir,
            "keywarden:slack": { alertRoute: "relay", webhookUrl: WEBHOOK },
            "keywarden:bots": [bot("weather-bot")],
            ...config,
        };
        const strings: Record<string, string> = {};
        for (const [key, value] of Object.entries(values)) {
            if (value === undefined) continue;
            strings[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
        const run = await runUnderMocks(() => void runStack(), { config: strings });
        assert.deepStrictEqual(
            run.recording.resources.map((r) => r.type),
            [T.Stack],
            "nothing may be declared",
        );
        return run.error?.message ?? "no error";
    }

    it("accepts the base configuration", async () => {
        const run = await runUnderMocks(() => void runStack(), {
            config: {
                "gcp:project": "acme-bots-test",
                "keywarden:functionDir": functionDir,
                "keywarden:slack": JSON.stringify({ alertRoute: "relay", webhookUrl: WEBHOOK }),
                "keywarden:bots": JSON.stringify([bot("weather-bot")]),
            },
        });
        assert.strictEqual(run.error, undefined);
        assert.deepStrictEqual(run.recording.names(T.Bot), ["weather-bot"]);
    });

    it("refuses a stack without a Slack route", async () => {
        assert.strictEqual(
            await messageOf({ "keywarden:slack": undefined }),
            message(
                "keywarden:slack is missing: give slack.webhookUrl and slack.alertRoute " +
                    '("native" with channelName and authToken, or "relay"), so that alerts reach ' +
                    "someone",
            ),
        );
    });

    it("refuses a Slack route given as plain text, once", async () => {
        assert.strictEqual(
            await messageOf({ "keywarden:slack": "native" }),
            message("keywarden:slack must be a mapping of settings in YAML, not plain text"),
        );
    });

    it("refuses a stack without a project", async () => {
        assert.strictEqual(
            await messageOf({ "gcp:project": undefined }),
            message(
                "gcp:project is missing: set it with `pulumi config set gcp:project <project ID>`",
            ),
        );
    });

    it("refuses two bots with the same name", async () => {
        const bots = [bot("weather-bot"), bot("mailer-bot"), bot("weather-bot")];
        assert.strictEqual(
            await messageOf({ "keywarden:bots": bots }),
            message(
                'keywarden:bots[2].name "weather-bot" is already the name of keywarden:bots[0]: ' +
                    "give each bot its own name",
            ),
        );
    });

    it("refuses two bots whose secrets would share a secret ID", async () => {
        const bots = [
            bot("weather-bot"),
            bot("mailer-bot", {
                secrets: {
                    telegram: {
                        rotator: { kind: "manual" },
                        rotationPeriod: "90d",
                        gracePeriod: "1d",
                        secretId: "weather-bot-telegram",
                    },
                },
            }),
        ];
        assert.strictEqual(
            await messageOf({ "keywarden:bots": bots }),
            message(
                'keywarden:bots[1].secrets.telegram.secretId "weather-bot-telegram" (its key ' +
                    "secret) is already the ID of the key secret of " +
                    "keywarden:bots[0].secrets.telegram: give one of them another secretId",
            ),
        );
    });

    it("refuses two secrets whose Pulumi resource names would clash", async () => {
        const manual = { rotator: { kind: "manual" }, rotationPeriod: "90d", gracePeriod: "1d" };
        const bots = [
            bot("chat", { secrets: { "bot-key": manual } }),
            bot("chat-bot", { secrets: { key: { ...manual, secretId: "chat-bot-key-2" } } }),
        ];
        assert.strictEqual(
            await messageOf({ "keywarden:bots": bots }),
            message(
                'keywarden:bots[1].secrets.key would name its resources "chat-bot-key", like ' +
                    "keywarden:bots[0].secrets.bot-key: rename one of the two secrets",
            ),
        );
    });

    it("refuses more than 100 uptime checks in the project", async () => {
        const bots = Array.from({ length: 101 }, (_, i) =>
            bot(`bot-${i}`, { healthCheck: { url: `https://bot-${i}.acme.example/healthz` } }),
        );
        assert.strictEqual(
            await messageOf({ "keywarden:bots": bots }),
            message(
                "keywarden:bots declares 101 health checks; Cloud Monitoring allows 100 uptime " +
                    "checks per project, including any declared elsewhere: drop healthCheck from " +
                    "some bots, or split them across projects",
            ),
        );
    });

    it("names misspelt keys and wrong types, without repeating any value", async () => {
        const text = await messageOf({
            "keywarden:tickSchedul": "*/5 * * * *",
            "keywarden:tickRetryCount": "three",
            "keywarden:slack": { alertRoute: "relay", webhookUrl: 42 },
            "keywarden:bots": [
                bot("weather-bot", {
                    healthCheck: { url: "https://w.acme.example/", periodSeconds: "300" },
                    reader: "serviceAccount:x@y.iam.gserviceaccount.com",
                }),
            ],
        });
        assert.strictEqual(
            text,
            message(
                "keywarden:tickSchedul is not a keywarden setting: remove or rename it " +
                    "(settings: fleetName, region, functionDir, tickSchedule, timeZone, " +
                    "tickRetryCount, tickDeadline, heartbeatAbsence, maxInstances, slack, bots)",
                "keywarden:tickRetryCount must be a whole number",
                "keywarden:slack.webhookUrl must be a string, not a number",
                "keywarden:bots[0].healthCheck.periodSeconds must be a number, not a string",
                "keywarden:bots[0].reader is not a setting here: remove or rename it (settings: " +
                    "name, readers, secrets, healthCheck, replicaLocations, deletionProtection, " +
                    "versionDestroyDelay)",
            ),
        );
        for (const value of ["three", "42", "x@y", "300"]) assert.ok(!text.includes(value), value);
    });

    it("names a bot's problems by their configuration keys, all together", async () => {
        const bots = [
            bot("Weather Bot"),
            bot("mailer-bot", {
                secrets: {
                    sendgrid: {
                        rotator: { kind: "http", preset: "sendgrid" },
                        rotationPeriod: "30d",
                        gracePeriod: "30d",
                        adminSecret: "sendgrid-admin",
                    },
                },
                healthCheck: { url: "http://mailer.acme.example/healthz" },
            }),
        ];
        const text = await messageOf({ "keywarden:bots": bots, "keywarden:fleetName": "Prod" });
        assert.strictEqual(
            text,
            message(
                'keywarden:bots[0].name "Weather Bot" must be 1 to 63 lowercase letters, digits ' +
                    "or " +
                    "hyphens, starting with a letter and not ending with a hyphen (it is a label " +
                    "value): " +
                    'e.g. "weather-bot"',
                'keywarden:fleetName "Prod" must be 1 to 20 lowercase letters, digits or ' +
                    "hyphens, " +
                    "starting with a letter and not ending with a hyphen (it is a label value " +
                    "and the " +
                    'prefix of service account IDs): choose a name such as "prod"',
                'keywarden:bots[1].healthCheck.url must use https (got "http://"): serve the ' +
                    "health endpoint over TLS",
                "keywarden:bots[1].secrets.sendgrid.gracePeriod (30d) must be shorter than " +
                    "rotationPeriod (30d), so that at most two keys are valid at once: shorten it",
            ),
        );
    });
});
