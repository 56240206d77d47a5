/**
 * The fleet with the native Slack route: every child, its parent and its key inputs, and the
 * children that must not exist when a feature is off.
 */
import * as assert from "assert";
import { FAILURE_EVENTS } from "../../functions/rotator/events";
import { FLEET_LABEL } from "../../functions/rotator/policy/types";
import { Fleet } from "../../components/fleet/fleet";
import { isSecretInput, Recording, runUnderMocks } from "./harness";
import {
    makeFunctionDir,
    nativeFleetArgs,
    PROJECT,
    removeFunctionDirs,
    SECRET_VALUES,
} from "./fixtures";
import { T } from "./tokens";

const ROTATOR = `prod-rotator@${PROJECT}.iam.gserviceaccount.com`;
const URI = "https://prod-rotator-abc123-ew.a.run.app";

describe("Fleet with the native Slack route", () => {
    let recording: Recording;
    let outputs: Record<string, any>;

    before(async () => {
        const dir = makeFunctionDir();
        const run = await runUnderMocks(() => {
            const fleet = new Fleet("prod", nativeFleetArgs(dir));
            return { connection: fleet.connection, uri: fleet.functionUri };
        });
        if (run.error) throw run.error;
        recording = run.recording;
        outputs = run.outputs!;
    });
    after(removeFunctionDirs);

    it("declares exactly these children, each named after the fleet and parented to it", () => {
        const children = recording
            .childrenOf("prod")
            .map((r) => `${r.type} ${r.name}`)
            .sort();
        const expected = [
            [T.Account, "prod-rotator"],
            [T.Account, "prod-scheduler"],
            [T.CustomRole, "prod-list-role"],
            [T.CustomRole, "prod-key-secret-role"],
            [T.CustomRole, "prod-state-secret-role"],
            [T.ProjectIamMember, "prod-rotator-list"],
            [T.Secret, "prod-slack-webhook"],
            [T.SecretVersion, "prod-slack-webhook-value"],
            [T.SecretIamMember, "prod-slack-webhook-rotator"],
            [T.Bucket, "prod-source"],
            [T.BucketObject, "prod-archive"],
            [T.Function, "prod-function"],
            [T.RunInvoker, "prod-scheduler-invoker"],
            [T.Job, "prod-tick"],
            [T.Channel, "prod-slack"],
            [T.Dashboard, "prod-dashboard"],
            ...["ticks", "rotations", "failures", "retirements", "reminders", "overdue"].map(
                (id) => [T.Metric, `prod-metric-${id}`],
            ),
            ...[
                "rotation-failed",
                "key-expiring",
                "rotation-overdue",
                "heartbeat",
                "uptime",
                "function-errors",
                "scheduler-failures",
            ].map((key) => [T.AlertPolicy, `prod-alert-${key}`]),
        ]
            .map(([type, name]) => `${type} ${name}`)
            .sort();
        assert.deepStrictEqual(children, expected);
        assert.strictEqual(recording.get(T.Fleet, "prod").parent, "<stack>");
    });

    it("runs the function on nodejs24 from the hashed archive, as the rotator, behind IAM", () => {
        const object = recording.get(T.BucketObject, "prod-archive").inputs;
        assert.match(object.name, /^rotator-[0-9a-f]{16}\.zip$/);
        const fn = recording.get(T.Function, "prod-function").inputs;
        assert.strictEqual(fn.name, "prod-rotator");
        assert.strictEqual(fn.buildConfig.runtime, "nodejs24");
        assert.strictEqual(fn.buildConfig.entryPoint, "keywarden");
        assert.deepStrictEqual(fn.buildConfig.source.storageSource, {
            bucket: `${PROJECT}-prod-keywarden`,
            object: object.name,
        });
        assert.strictEqual(fn.serviceConfig.ingressSettings, "ALLOW_ALL");
        assert.strictEqual(fn.serviceConfig.serviceAccountEmail, ROTATOR);
        assert.strictEqual(fn.serviceConfig.timeoutSeconds, 300);
        assert.deepStrictEqual(fn.serviceConfig.environmentVariables, {
            KEYWARDEN_PROJECT: PROJECT,
            KEYWARDEN_FLEET: "prod",
            KEYWARDEN_SLACK_WEBHOOK_SECRET: `projects/${PROJECT}/secrets/prod-slack-webhook`,
            NODE_OPTIONS: "--max-semi-space-size=2",
            NODE_ENV: "production",
        });
        const bucket = recording.get(T.Bucket, "prod-source").inputs;
        assert.strictEqual(bucket.publicAccessPrevention, "enforced");
        assert.strictEqual(bucket.uniformBucketLevelAccess, true);
    });

    it("calls /tick from one job with an OIDC token for the function's URI, with retries", () => {
        const job = recording.get(T.Job, "prod-tick").inputs;
        assert.deepStrictEqual(job.httpTarget.oidcToken, {
            serviceAccountEmail: `prod-scheduler@${PROJECT}.iam.gserviceaccount.com`,
            audience: URI,
        });
        assert.strictEqual(job.httpTarget.uri, `${URI}/tick`);
        assert.strictEqual(job.httpTarget.httpMethod, "POST");
        assert.strictEqual(job.attemptDeadline, "300s");
        assert.strictEqual(job.retryConfig.retryCount, 2);
        assert.strictEqual(job.schedule, "*/10 * * * *");
        assert.strictEqual(recording.ofType(T.Job).length, 1);
        const invoker = recording.get(T.RunInvoker, "prod-scheduler-invoker").inputs;
        assert.strictEqual(invoker.role, "roles/run.invoker");
        assert.strictEqual(
            invoker.name,
            `projects/${PROJECT}/locations/europe-west1/services/prod-rotator`,
        );
    });

    it("routes alerts to a native Slack channel whose token is a Pulumi secret", () => {
        const channel = recording.get(T.Channel, "prod-slack");
        assert.strictEqual(channel.inputs.type, "slack");
        assert.deepStrictEqual(channel.inputs.labels, { channel_name: "#bot-alerts" });
        assert.strictEqual(channel.inputs.sensitiveLabels.authToken, SECRET_VALUES.authToken);
        assert.ok(isSecretInput(channel, "sensitiveLabels.authToken"));
        for (const policy of recording.ofType(T.AlertPolicy)) {
            assert.deepStrictEqual(
                policy.inputs.notificationChannels,
                [`projects/${PROJECT}/notificationChannels/prod-slack`],
                policy.name,
            );
        }
    });

    it("keeps the webhook URL in an unlabelled secret only the rotator can read", () => {
        const secret = recording.get(T.Secret, "prod-slack-webhook").inputs;
        assert.strictEqual(secret.secretId, "prod-slack-webhook");
        assert.strictEqual(secret.labels?.[FLEET_LABEL], undefined);
        const version = recording.get(T.SecretVersion, "prod-slack-webhook-value");
        assert.ok(isSecretInput(version, "secretData"));
        const readers = recording
            .ofType(T.SecretIamMember)
            .filter((binding) => binding.inputs.secretId === "prod-slack-webhook");
        assert.deepStrictEqual(
            readers.map((b) => [b.inputs.role, b.inputs.member]),
            [["roles/secretmanager.secretAccessor", `serviceAccount:${ROTATOR}`]],
        );
    });

    it("builds metrics and log-match alerts from the function's event names", () => {
        const failures = recording.get(T.Metric, "prod-metric-failures").inputs;
        assert.strictEqual(failures.name, "keywarden/prod/failures");
        for (const event of FAILURE_EVENTS) {
            assert.ok(failures.filter.includes(`jsonPayload.event="${event}"`), event);
        }
        assert.ok(failures.filter.includes('resource.labels.service_name="prod-rotator"'));
        assert.deepStrictEqual(failures.labelExtractors, {
            bot: "EXTRACT(jsonPayload.bot)",
            secret: "EXTRACT(jsonPayload.secret)",
        });
        const failed = recording.get(T.AlertPolicy, "prod-alert-rotation-failed").inputs;
        assert.strictEqual(failed.conditions[0].conditionMatchedLog.filter, failures.filter);
        assert.strictEqual(failed.alertStrategy.notificationRateLimit.period, "300s");
        const heartbeat = recording.get(T.AlertPolicy, "prod-alert-heartbeat").inputs;
        assert.strictEqual(heartbeat.conditions[0].conditionAbsent.duration, "3600s");
        assert.ok(
            heartbeat.conditions[0].conditionAbsent.filter.includes(
                'metric.type="logging.googleapis.com/user/keywarden/prod/ticks"',
            ),
        );
        const uptime = recording.get(T.AlertPolicy, "prod-alert-uptime").inputs;
        assert.ok(
            uptime.conditions[0].conditionThreshold.filter.includes(
                `metadata.user_labels."${FLEET_LABEL}"="prod"`,
            ),
        );
    });

    it("charts every event metric on the dashboard", () => {
        const json = JSON.parse(recording.get(T.Dashboard, "prod-dashboard").inputs.dashboardJson);
        const filters = json.mosaicLayout.tiles
            .map(
                (tile: any) =>
                    tile.widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.filter,
            )
            .join("\n");
        for (const metric of recording.ofType(T.Metric)) {
            const type = `logging.googleapis.com/user/${metric.inputs.name}"`;
            assert.ok(filters.includes(type), metric.name);
        }
    });

    it("declares no relay, and no API-keys grant, when those are not asked for", () => {
        for (const type of [T.Topic, T.TopicIamMember, T.Subscription, T.AccountIamMember]) {
            assert.deepStrictEqual(recording.names(type), [], type);
        }
        assert.deepStrictEqual(recording.names(T.Account), ["prod-rotator", "prod-scheduler"]);
        assert.deepStrictEqual(recording.names(T.ProjectIamMember), ["prod-rotator-list"]);
    });

    it("exports the connection a bot in another stack needs", () => {
        assert.deepStrictEqual(outputs.connection, {
            project: PROJECT,
            fleetName: "prod",
            rotatorEmail: ROTATOR,
            keySecretRole: `projects/${PROJECT}/roles/keywarden_prod_key`,
            stateSecretRole: `projects/${PROJECT}/roles/keywarden_prod_state`,
        });
        assert.strictEqual(outputs.uri, URI);
    });
});

describe("Fleet with API-key projects", () => {
    after(removeFunctionDirs);

    it("grants apiKeysAdmin to the rotator on each listed project and on no other", async () => {
        const dir = makeFunctionDir();
        const run = await runUnderMocks(
            () =>
                new Fleet(
                    "prod",
                    nativeFleetArgs(dir, {
                        apiKeyProjects: ["gemini-keys-prod", "maps-keys-prod"],
                    }),
                ),
        );
        if (run.error) throw run.error;
        const grants = run.recording
            .ofType(T.ProjectIamMember)
            .filter((grant) => grant.inputs.role === "roles/serviceusage.apiKeysAdmin")
            .map((grant) => [grant.name, grant.inputs.project, grant.inputs.member])
            .sort();
        assert.deepStrictEqual(grants, [
            ["prod-api-keys-gemini-keys-prod", "gemini-keys-prod", `serviceAccount:${ROTATOR}`],
            ["prod-api-keys-maps-keys-prod", "maps-keys-prod", `serviceAccount:${ROTATOR}`],
        ]);
    });
});
