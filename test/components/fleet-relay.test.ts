/**
 * The fleet with the webhook relay: Monitoring -> Pub/Sub -> the function's `/relay` route.
 */
import * as assert from "assert";
import { Fleet } from "../../components/fleet/fleet";
import { Recording, runUnderMocks } from "./harness";
import { PROJECT_NUMBER } from "./mocks";
import { makeFunctionDir, PROJECT, relayFleetArgs, removeFunctionDirs } from "./fixtures";
import { T } from "./tokens";

const URI = "https://prod-rotator-abc123-ew.a.run.app";
const RELAY = `prod-relay@${PROJECT}.iam.gserviceaccount.com`;

describe("Fleet with the webhook relay", () => {
    let recording: Recording;

    before(async () => {
        const dir = makeFunctionDir();
        const run = await runUnderMocks(() => new Fleet("prod", relayFleetArgs(dir)));
        if (run.error) throw run.error;
        recording = run.recording;
    });
    after(removeFunctionDirs);

    it("declares the relay's topic, channel, identity and subscription, not Slack's", () => {
        const types: string[] = [
            T.Topic,
            T.TopicIamMember,
            T.Channel,
            T.Subscription,
            T.AccountIamMember,
            T.RunInvoker,
            T.Account,
        ];
        const relay = recording
            .childrenOf("prod")
            .filter((r) => types.includes(r.type))
            .map((r) => `${r.type} ${r.name}`)
            .sort();
        assert.deepStrictEqual(
            relay,
            [
                `${T.Account} prod-relay`,
                `${T.Account} prod-rotator`,
                `${T.Account} prod-scheduler`,
                `${T.RunInvoker} prod-relay-invoker`,
                `${T.RunInvoker} prod-scheduler-invoker`,
                `${T.Channel} prod-alert-channel`,
                `${T.Subscription} prod-relay`,
                `${T.Topic} prod-alert-topic`,
                `${T.TopicIamMember} prod-alert-topic-publisher`,
                `${T.AccountIamMember} prod-relay-token-creator`,
            ].sort(),
        );
        assert.strictEqual(recording.find(T.Channel, "prod-slack"), undefined);
    });

    it("lets only Monitoring's service agent publish to the alert topic", () => {
        const topic = recording.get(T.Topic, "prod-alert-topic").inputs;
        assert.strictEqual(topic.name, "prod-alerts");
        const publisher = recording.get(T.TopicIamMember, "prod-alert-topic-publisher").inputs;
        assert.deepStrictEqual(
            [publisher.topic, publisher.role, publisher.member],
            [
                "prod-alerts",
                "roles/pubsub.publisher",
                `serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-monitoring-notification.` +
                    "iam.gserviceaccount.com",
            ],
        );
        const channel = recording.get(T.Channel, "prod-alert-channel").inputs;
        assert.strictEqual(channel.type, "pubsub");
        assert.deepStrictEqual(channel.labels, { topic: `projects/${PROJECT}/topics/prod-alerts` });
        for (const policy of recording.ofType(T.AlertPolicy)) {
            assert.deepStrictEqual(
                policy.inputs.notificationChannels,
                [`projects/${PROJECT}/notificationChannels/prod-alert-channel`],
                policy.name,
            );
        }
    });

    it("pushes incidents to /relay with an OIDC token for the function's URI", () => {
        const subscription = recording.get(T.Subscription, "prod-relay").inputs;
        assert.strictEqual(subscription.name, "prod-alert-relay");
        assert.strictEqual(subscription.topic, `projects/${PROJECT}/topics/prod-alerts`);
        assert.deepStrictEqual(subscription.pushConfig, {
            pushEndpoint: `${URI}/relay`,
            oidcToken: { serviceAccountEmail: RELAY, audience: URI },
        });
        assert.deepStrictEqual(subscription.expirationPolicy, { ttl: "" });
        const tokenCreator = recording.get(T.AccountIamMember, "prod-relay-token-creator").inputs;
        assert.strictEqual(
            tokenCreator.serviceAccountId,
            `projects/${PROJECT}/serviceAccounts/${RELAY}`,
        );
        assert.strictEqual(
            tokenCreator.member,
            `serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`,
        );
        const invoker = recording.get(T.RunInvoker, "prod-relay-invoker").inputs;
        assert.deepStrictEqual(
            [invoker.role, invoker.member],
            ["roles/run.invoker", `serviceAccount:${RELAY}`],
        );
    });
});
