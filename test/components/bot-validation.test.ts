/**
 * Bad bot arguments fail before anything is declared, with every problem in one message that
 * names the argument and the fix. Each case compares the whole message.
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { Bot, checkBotArgs } from "../../components/bot/bot";
import { BotArgs } from "../../components/bot/args";
import { runUnderMocks } from "./harness";
import { botArgs, CONNECTION, sendgridSecret, telegramSecret } from "./fixtures";
import { T } from "./tokens";

/** The message of a KeywardenConfigError about Bot "mailer", written out independently. */
function message(...problems: string[]): string {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    return (
        `keywarden found ${count} in the arguments of Bot "mailer"; nothing was declared:\n` +
        problems.map((problem) => `  - ${problem}`).join("\n")
    );
}

function messageOf(args: BotArgs, name = "mailer"): string {
    try {
        checkBotArgs(name, args);
    } catch (error) {
        return (error as Error).message;
    }
    return "no error";
}

const withSecret = (secret: Partial<ReturnType<typeof sendgridSecret>>) =>
    botArgs(CONNECTION, { secrets: { api: sendgridSecret(secret) } });

describe("Bot argument validation", () => {
    it("refuses a duration it cannot read", () => {
        assert.strictEqual(
            messageOf(withSecret({ rotationPeriod: "30 days" })),
            message(
                'secrets.api.rotationPeriod "30 days" is not a duration: use a whole number and ' +
                    "a " +
                    'unit (w, d, h, m, s), for example "30d", "12h" or "1d12h"',
            ),
        );
    });

    it("refuses a grace period that is not shorter than the rotation period", () => {
        assert.strictEqual(
            messageOf(withSecret({ gracePeriod: "30d" })),
            message(
                "secrets.api.gracePeriod (30d) must be shorter than rotationPeriod (30d), so " +
                    "that at most two keys are valid at once: shorten it",
            ),
        );
    });

    it("refuses a health URL that is not https", () => {
        const healthCheck = { url: "http://mailer.example.com/healthz" };
        const args = botArgs(CONNECTION, { healthCheck });
        assert.strictEqual(
            messageOf(args),
            message(
                'healthCheck.url must use https (got "http://"): serve the health endpoint over ' +
                    "TLS",
            ),
        );
    });

    it("refuses a malformed health URL", () => {
        const args = botArgs(CONNECTION, { healthCheck: { url: "mailer.example.com/healthz" } });
        assert.strictEqual(
            messageOf(args),
            message(
                'healthCheck.url "mailer.example.com/healthz" is not a URL: write it as ' +
                    '"https://host/path"',
            ),
        );
    });

    it("refuses two secrets that would share a secret ID", () => {
        const args = botArgs(CONNECTION, {
            secrets: {
                api: sendgridSecret(),
                "api-state": sendgridSecret({ secretId: "mailer-api-state" }),
            },
        });
        assert.strictEqual(
            messageOf(args),
            message(
                'secrets.api-state.secretId "mailer-api-state" (its key secret) is already the ' +
                    "ID of the state secret of secrets.api: give one of them another secretId",
            ),
        );
    });

    it("refuses a bot name that cannot be a label value", () => {
        const text = messageOf(botArgs(CONNECTION), "Mailer_Bot");
        assert.strictEqual(
            text,
            message(
                'botName (default: the component name "Mailer_Bot") must be 1 to 63 lowercase ' +
                    "letters, digits or hyphens, starting with a letter and not ending with a " +
                    "hyphen (it " +
                    'is a label value): e.g. "weather-bot"',
            ).replace('Bot "mailer"', 'Bot "Mailer_Bot"'),
        );
    });

    it("refuses a secret ID beyond Secret Manager's length limit", () => {
        assert.strictEqual(
            messageOf(withSecret({ secretId: "k".repeat(250) })),
            message(
                "secrets.api.secretId is 250 characters long; at most 249 are allowed (Secret " +
                    'Manager allows 255, and the state secret adds "-state"): shorten it',
            ),
        );
    });

    it("refuses a secret ID with characters Secret Manager does not allow", () => {
        assert.strictEqual(
            messageOf(withSecret({ secretId: "mailer/api" })),
            message(
                'secrets.api.secretId "mailer/api" may only hold letters, digits, "-" and "_" ' +
                    "(Secret Manager's rule): rename it",
            ),
        );
    });

    it("refuses an unknown rotator kind", () => {
        assert.strictEqual(
            messageOf(withSecret({ rotator: { kind: "webhook" } as any })),
            message(
                'secrets.api.rotator.kind is "webhook": use one of http, google-api-key, ' +
                    "oauth-refresh, manual",
            ),
        );
    });

    it("refuses an unknown preset", () => {
        const rotator = { kind: "http", preset: "mailgun" } as any;
        assert.strictEqual(
            messageOf(withSecret({ rotator })),
            message(
                'secrets.api.rotator.preset is "mailgun", which is not a bundled preset: use one ' +
                    "of " +
                    "sendgrid, cloudflare, twilio, datadog, openai, openrouter, or describe the " +
                    'provider with "spec"',
            ),
        );
    });

    it("refuses a policy annotation over 16 KiB", () => {
        const spec = {
            label: "Weather",
            create: {
                method: "POST",
                url: "https://api.weather.example.com/keys",
                json: { name: "{{keyName}}", note: "n".repeat(17_000) },
                keyPath: "key",
                keyIdPath: "id",
            },
            verify: {
                method: "GET",
                url: "https://api.weather.example.com/me",
                headers: { Authorization: "Bearer {{key}}" },
            },
            revoke: { method: "DELETE", url: "https://api.weather.example.com/keys/{{keyId}}" },
        };
        const text = messageOf(withSecret({ rotator: { kind: "http", spec } as any }));
        assert.strictEqual(
            text,
            message(
                "secrets.api.rotator makes a policy annotation of 17547 bytes; Secret Manager " +
                    "keeps a secret's annotations under 16384 bytes (16 KiB): shorten the " +
                    "rotator spec (fewer headers, shorter bodies) or use a preset",
            ),
        );
    });

    it("refuses a public reader", () => {
        const args = botArgs(CONNECTION, { readers: ["allAuthenticatedUsers"] });
        assert.strictEqual(
            messageOf(args),
            message(
                'readers[0] "allAuthenticatedUsers" would make the bot\'s keys public: name the ' +
                    "bot's own identity, e.g. " +
                    '"serviceAccount:weather-bot@my-project.iam.gserviceaccount.com"',
            ),
        );
    });

    it("refuses an admin secret given twice, and a health gate without a health check", () => {
        const args = botArgs(CONNECTION, {
            healthCheck: undefined,
            secrets: { api: sendgridSecret({ adminSecret: "sendgrid-admin", healthGate: true }) },
        });
        assert.strictEqual(
            messageOf(args),
            message(
                "secrets.api.adminSecret cannot be combined with adminValue: use adminSecret for " +
                    "an existing secret, or adminValue to have the component create one",
                "secrets.api.healthGate needs the bot's healthCheck: add healthCheck with the " +
                    "bot's health URL, or remove healthGate",
            ),
        );
    });

    it("refuses a health gate on a health check that needs headers", () => {
        const args = botArgs(CONNECTION, {
            healthCheck: {
                url: "https://mailer.example.com/healthz",
                headers: { Authorization: pulumi.secret("Bearer health-token") },
            },
            secrets: { api: sendgridSecret({ healthGate: true }) },
        });
        assert.strictEqual(
            messageOf(args),
            message(
                "secrets.api.healthGate cannot be used with healthCheck.headers: the rotator " +
                    "calls the health URL without headers (the policy that carries the URL is " +
                    "plain text), so the gate would never open; remove healthGate, or point " +
                    "healthCheck at a path that needs no headers",
            ),
        );
    });

    it("reports every problem of the bot together, in argument order", () => {
        const args = botArgs(CONNECTION, {
            readers: ["weather-bot"],
            healthCheck: {
                url: "https://mailer.example.com/healthz",
                periodSeconds: 30,
                regions: ["EUROPE", "USA_IOWA"],
            },
            secrets: {
                api: sendgridSecret({ gracePeriod: "45d" }),
                telegram: telegramSecret({ rotationPeriod: "90" }),
            },
        });
        assert.strictEqual(
            messageOf(args),
            message(
                'readers[0] "weather-bot" is not an IAM member: write it as ' +
                    '"serviceAccount:EMAIL", "user:EMAIL" or "group:EMAIL"',
                "healthCheck.periodSeconds (30) must be 60, 300, 600 or 900, the periods Cloud " +
                    "Monitoring allows; 300 keeps the cost low",
                "healthCheck.regions lists 2 distinct regions; Cloud Monitoring needs at least " +
                    "3: add more, or leave regions out for the default three",
                "secrets.api.gracePeriod (45d) must be shorter than rotationPeriod (30d), so " +
                    "that at most two keys are valid at once: shorten it",
                'secrets.telegram.rotationPeriod "90" is not a duration: use a whole number and ' +
                    "a " +
                    'unit (w, d, h, m, s), for example "30d", "12h" or "1d12h"',
            ),
        );
    });

    it("declares nothing, not even the component, when the arguments are bad", async () => {
        const args = withSecret({ gracePeriod: "30d" });
        const run = await runUnderMocks(() => void new Bot("mailer", args));
        assert.match(
            String(run.error?.message),
            /^keywarden found 1 problem in the arguments of Bot "mailer"/,
        );
        assert.deepStrictEqual(
            run.recording.resources.map((r) => r.type),
            [T.Stack],
        );
    });
});
