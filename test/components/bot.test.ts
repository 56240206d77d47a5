/**
 * The bot component: every child, its parent and key inputs, and the children that must not
 * exist when a feature is off.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { FLEET_LABEL, POLICY_ANNOTATION, ROLE_LABEL } from "../../functions/rotator/policy/types";
import { Bot } from "../../components/bot/bot";
import { FleetConnection } from "../../components/fleet/args";
import { isSecretInput, Recording, runUnderMocks } from "./harness";
import { otherStacks } from "./mocks";
import { botArgs, CONNECTION, PROJECT, SECRET_VALUES, telegramSecret } from "./fixtures";
import { T } from "./tokens";

const ROTATOR = `serviceAccount:${CONNECTION.rotatorEmail}`;
const READER = `serviceAccount:mailer@${PROJECT}.iam.gserviceaccount.com`;

describe("Bot with an admin value, an initial value, a reader and a health check", () => {
    let recording: Recording;

    before(async () => {
        const run = await runUnderMocks(() => {
            new Bot("mailer", botArgs(CONNECTION));
        });
        if (run.error) throw run.error;
        recording = run.recording;
    });

    it("declares exactly these children, named after the bot and parented to it", () => {
        const children = recording
            .childrenOf("mailer")
            .map((r) => `${r.type} ${r.name}`)
            .sort();
        const perKey = (key: string) => [
            `${T.Secret} mailer-${key}`,
            `${T.Secret} mailer-${key}-state`,
            `${T.SecretIamMember} mailer-${key}-rotator`,
            `${T.SecretIamMember} mailer-${key}-state-rotator`,
            `${T.SecretIamMember} mailer-${key}-reader-0`,
        ];
        assert.deepStrictEqual(
            children,
            [
                ...perKey("sendgrid"),
                ...perKey("telegram"),
                `${T.Secret} mailer-sendgrid-admin`,
                `${T.SecretVersion} mailer-sendgrid-admin-value`,
                `${T.SecretIamMember} mailer-sendgrid-admin-rotator`,
                `${T.SecretVersion} mailer-telegram-initial`,
                `${T.UptimeCheck} mailer-health`,
            ].sort(),
        );
    });

    it("labels the key's secret, writes its policy, and leaves aliases to the function", () => {
        const key = recording.get(T.Secret, "mailer-sendgrid");
        assert.strictEqual(key.inputs.secretId, "mailer-sendgrid");
        assert.strictEqual(key.inputs.project, PROJECT);
        assert.deepStrictEqual(key.inputs.labels, {
            [FLEET_LABEL]: "prod",
            [ROLE_LABEL]: "key",
            "keywarden-bot": "mailer",
        });
        assert.deepStrictEqual(JSON.parse(key.inputs.annotations[POLICY_ANNOTATION]), {
            schema: 1,
            bot: "mailer",
            stateSecret: "mailer-sendgrid-state",
            rotator: { kind: "http", preset: "sendgrid" },
            rotationPeriod: "30d",
            gracePeriod: "2d",
            adminSecret: "mailer-sendgrid-admin",
            // No healthUrl: this bot's health check sends a header the rotator cannot send.
        });
        assert.deepStrictEqual(key.inputs.replication, { auto: {} });
        assert.strictEqual(key.inputs.versionDestroyTtl, "604800s");
        assert.strictEqual(key.inputs.deletionProtection, true);
        assert.deepStrictEqual(key.ignoreChanges, ["versionAliases"]);
        assert.strictEqual(key.parent, "mailer");
    });

    it("gives the companion state secret no versions and no annotations from the program", () => {
        const state = recording.get(T.Secret, "mailer-sendgrid-state");
        assert.strictEqual(state.inputs.secretId, "mailer-sendgrid-state");
        assert.deepStrictEqual(state.inputs.labels, {
            [FLEET_LABEL]: "prod",
            [ROLE_LABEL]: "state",
            "keywarden-bot": "mailer",
        });
        assert.strictEqual(state.inputs.annotations, undefined);
        assert.deepStrictEqual(state.ignoreChanges, ["annotations"]);
        const versions = recording
            .ofType(T.SecretVersion)
            .filter((version) => version.inputs.secret.endsWith("-state"));
        assert.deepStrictEqual(versions, []);
    });

    it("binds the rotator's roles on the key and state secrets, and the reader on the key", () => {
        const binding = (name: string) => {
            const { secretId, role, member } = recording.get(T.SecretIamMember, name).inputs;
            return [secretId, role, member];
        };
        assert.deepStrictEqual(binding("mailer-sendgrid-rotator"), [
            "mailer-sendgrid",
            CONNECTION.keySecretRole,
            ROTATOR,
        ]);
        assert.deepStrictEqual(binding("mailer-sendgrid-state-rotator"), [
            "mailer-sendgrid-state",
            CONNECTION.stateSecretRole,
            ROTATOR,
        ]);
        assert.deepStrictEqual(binding("mailer-sendgrid-reader-0"), [
            "mailer-sendgrid",
            "roles/secretmanager.secretAccessor",
            READER,
        ]);
        assert.deepStrictEqual(binding("mailer-sendgrid-admin-rotator"), [
            "mailer-sendgrid-admin",
            "roles/secretmanager.secretAccessor",
            ROTATOR,
        ]);
    });

    it("creates the admin secret without the fleet label, its value a Pulumi secret", () => {
        const admin = recording.get(T.Secret, "mailer-sendgrid-admin").inputs;
        assert.strictEqual(admin.secretId, "mailer-sendgrid-admin");
        assert.deepStrictEqual(admin.labels, { "keywarden-bot": "mailer" });
        const value = recording.get(T.SecretVersion, "mailer-sendgrid-admin-value");
        assert.strictEqual(value.inputs.secretData, SECRET_VALUES.adminKey);
        assert.ok(isSecretInput(value, "secretData"));
    });

    it("writes the initial value once: later changes and retirements are ignored", () => {
        const initial = recording.get(T.SecretVersion, "mailer-telegram-initial");
        assert.strictEqual(initial.inputs.secret, `projects/${PROJECT}/secrets/mailer-telegram`);
        assert.ok(isSecretInput(initial, "secretData"));
        assert.strictEqual(initial.inputs.deletionPolicy, "ABANDON");
        assert.deepStrictEqual(initial.ignoreChanges, ["secretData", "enabled"]);
        assert.strictEqual(initial.retainOnDelete, true);
    });

    it("checks the health endpoint over HTTPS from 3 regions every 300 s, headers masked", () => {
        const check = recording.get(T.UptimeCheck, "mailer-health");
        const inputs = check.inputs;
        assert.strictEqual(inputs.period, "300s");
        assert.deepStrictEqual(inputs.selectedRegions, ["EUROPE", "USA_VIRGINIA", "ASIA_PACIFIC"]);
        assert.deepStrictEqual(inputs.monitoredResource, {
            type: "uptime_url",
            labels: { project_id: PROJECT, host: "mailer.example.com" },
        });
        assert.strictEqual(inputs.httpCheck.path, "/healthz");
        assert.strictEqual(inputs.httpCheck.port, 443);
        assert.strictEqual(inputs.httpCheck.useSsl, true);
        assert.strictEqual(inputs.httpCheck.maskHeaders, true);
        assert.ok(isSecretInput(check, "httpCheck.headers.Authorization"));
        assert.deepStrictEqual(inputs.httpCheck.acceptedResponseStatusCodes, [
            { statusClass: "STATUS_CLASS_2XX" },
        ]);
        assert.deepStrictEqual(inputs.contentMatchers, [
            {
                content: "ok",
                matcher: "MATCHES_JSON_PATH",
                jsonPathMatcher: { jsonPath: "$.status", jsonMatcher: "EXACT_MATCH" },
            },
        ]);
        assert.deepStrictEqual(inputs.userLabels, {
            [FLEET_LABEL]: "prod",
            "keywarden-bot": "mailer",
        });
    });
});

describe("Bot with features off", () => {
    it("declares no uptime check, version, admin secret or reader unless asked", async () => {
        const run = await runUnderMocks(() => {
            new Bot("notifier", {
                fleet: CONNECTION,
                secrets: { telegram: telegramSecret({ initialValue: undefined }) },
            });
        });
        if (run.error) throw run.error;
        const children = run.recording
            .childrenOf("notifier")
            .map((r) => `${r.type} ${r.name}`)
            .sort();
        assert.deepStrictEqual(
            children,
            [
                `${T.Secret} notifier-telegram`,
                `${T.Secret} notifier-telegram-state`,
                `${T.SecretIamMember} notifier-telegram-rotator`,
                `${T.SecretIamMember} notifier-telegram-state-rotator`,
            ].sort(),
        );
        const key = run.recording.get(T.Secret, "notifier-telegram");
        const policy = JSON.parse(key.inputs.annotations[POLICY_ANNOTATION]);
        assert.strictEqual(policy.healthUrl, undefined);
        assert.strictEqual(policy.adminSecret, undefined);
    });

    it("gates retirement on a health check without headers", async () => {
        const run = await runUnderMocks(
            () =>
                void new Bot(
                    "mailer",
                    botArgs(CONNECTION, { healthCheck: { url: "https://mailer.example.com/up" } }),
                ),
        );
        if (run.error) throw run.error;
        const key = run.recording.get(T.Secret, "mailer-sendgrid");
        const policy = JSON.parse(key.inputs.annotations[POLICY_ANNOTATION]);
        assert.strictEqual(policy.healthUrl, "https://mailer.example.com/up");
    });

    it("gates nothing on a health check with headers, which the rotator cannot send", async () => {
        const run = await runUnderMocks(
            () =>
                void new Bot(
                    "mailer",
                    botArgs(CONNECTION, {
                        healthCheck: {
                            url: "https://mailer.example.com/healthz",
                            headers: { Authorization: pulumi.secret("Bearer health-token") },
                        },
                    }),
                ),
        );
        if (run.error) throw run.error;
        const key = run.recording.get(T.Secret, "mailer-sendgrid");
        const policy = JSON.parse(key.inputs.annotations[POLICY_ANNOTATION]);
        assert.strictEqual(policy.healthUrl, undefined);
        const check = run.recording.get(T.UptimeCheck, "mailer-health");
        assert.ok(check, "the uptime check is still declared");
    });

    it("binds an existing admin secret, and lets oauth-refresh add versions to it", async () => {
        const run = await runUnderMocks(
            () =>
                void new Bot("slackbot", {
                    fleet: CONNECTION,
                    replicaLocations: ["europe-west1", "europe-west4"],
                    deletionProtection: false,
                    secrets: {
                        token: {
                            rotator: {
                                kind: "oauth-refresh",
                                provider: "slack",
                                clientId: "1234.5678",
                            },
                            rotationPeriod: "6h",
                            gracePeriod: "1h",
                            adminSecret: "slack-oauth-client",
                        },
                    },
                }),
        );
        if (run.error) throw run.error;
        assert.deepStrictEqual(run.recording.names(T.Secret), [
            "slackbot-token",
            "slackbot-token-state",
        ]);
        const admin = run.recording
            .ofType(T.SecretIamMember)
            .filter((b) => b.inputs.secretId === "slack-oauth-client")
            .map((b) => [b.name, b.inputs.role, b.inputs.member])
            .sort();
        assert.deepStrictEqual(admin, [
            ["slackbot-token-admin-rotator", "roles/secretmanager.secretAccessor", ROTATOR],
            [
                "slackbot-token-admin-rotator-writer",
                "roles/secretmanager.secretVersionManager",
                ROTATOR,
            ],
        ]);
        const key = run.recording.get(T.Secret, "slackbot-token").inputs;
        assert.deepStrictEqual(key.replication, {
            userManaged: { replicas: [{ location: "europe-west1" }, { location: "europe-west4" }] },
        });
        assert.strictEqual(key.deletionProtection, false);
    });
});

describe("Bot declared in another stack", () => {
    it("takes the fleet's values from a StackReference output", async () => {
        otherStacks.set("acme/keywarden/prod", { connection: CONNECTION });
        const run = await runUnderMocks(() => {
            const fleetStack = new pulumi.StackReference("acme/keywarden/prod");
            const connection = fleetStack.requireOutput(
                "connection",
            ) as pulumi.Output<FleetConnection>;
            new Bot("mailer", botArgs(connection));
        });
        otherStacks.clear();
        if (run.error) throw run.error;
        const key = run.recording.get(T.Secret, "mailer-sendgrid").inputs;
        assert.strictEqual(key.project, PROJECT);
        assert.strictEqual(key.labels[FLEET_LABEL], "prod");
        const rotator = run.recording.get(T.SecretIamMember, "mailer-sendgrid-rotator").inputs;
        assert.deepStrictEqual([rotator.role, rotator.member], [CONNECTION.keySecretRole, ROTATOR]);
    });
});
