import * as assert from "node:assert/strict";
import { startSlackWebhookReceiver, SlackWebhookReceiver } from "../../standins/slack";
import { startWorld, World } from "../support/world";

/** A Pub/Sub push delivery as the subscription sends it. */
function push(data: unknown, messageId = "1234") {
    const encoded =
        typeof data === "string" ? data : Buffer.from(JSON.stringify(data)).toString("base64");
    return {
        message: { data: encoded, messageId, publishTime: "2026-12-03T10:00:00Z" },
        subscription: "projects/keywarden-test/subscriptions/keywarden-dev-relay",
    };
}

const INCIDENT = {
    version: "1.2",
    incident: {
        incident_id: "0.nabc123",
        policy_name: "keywarden dev: rotation failed",
        condition_name: "rotation.failed lines",
        state: "open",
        summary: "Log match condition fired for rotation.failed.",
        started_at: 1764756000,
        url: "https://console.cloud.google.com/monitoring/alerting/incidents/0.nabc123",
        resource_display_name: "keywarden-dev",
        documentation: { content: "See docs/operations.md#a-failed-rotation." },
    },
};

describe("the webhook relay: Monitoring incidents from Pub/Sub, reposted to Slack", () => {
    let slack: SlackWebhookReceiver;
    let world: World;

    beforeEach(async () => {
        slack = await startSlackWebhookReceiver();
        world = await startWorld({ slackWebhookUrl: slack.url });
    });
    afterEach(async () => {
        await world.stop();
        await slack.stop();
    });

    it(
        "posts a firing incident to Slack with the policy, summary, condition and link, and " +
            "acknowledges it",
        async () => {
            const answer = await world.post("/relay", push(INCIDENT));
            assert.equal(answer.status, 204);
            const [message] = await slack.waitForMessages(1);
            const text = JSON.stringify(message.body);
            assert.match(String(message.body.text), /Alert firing: keywarden dev: rotation failed/);
            for (const part of [
                "Log match condition fired",
                "rotation.failed lines",
                "keywarden-dev",
                "docs/operations.md#a-failed-rotation",
                "incidents/0.nabc123",
            ]) {
                assert.ok(text.includes(part), `the message shows ${part}`);
            }
        },
    );

    it("says when an incident closes", async () => {
        const closed = { ...INCIDENT, incident: { ...INCIDENT.incident, state: "closed" } };
        assert.equal((await world.post("/relay", push(closed))).status, 204);
        const [message] = await slack.waitForMessages(1);
        assert.match(String(message.body.text), /Alert resolved: keywarden dev: rotation failed/);
    });

    it(
        "answers 503 while Slack cannot take the message, so that Pub/Sub delivers it " + "again",
        async () => {
            slack.faults.inject("post", { kind: "server-error", status: 500 }, 10);
            const answer = await world.post("/relay", push(INCIDENT));
            assert.equal(answer.status, 503);
            assert.match(answer.body.error, /Slack did not take the message/);
        },
    );

    it(
        "acknowledges and drops a message that is not an incident, instead of having it " +
            "redelivered forever",
        async () => {
            for (const data of ["not base64 json!", { hello: "world" }]) {
                const answer = await world.post("/relay", push(data));
                assert.equal(answer.status, 200);
                assert.ok(answer.body.dropped);
            }
            assert.equal(slack.messages.length, 0);
        },
    );

    it("refuses a body that is not a Pub/Sub push", async () => {
        const answer = await world.post("/relay", { incident: INCIDENT.incident });
        assert.equal(answer.status, 400);
        assert.match(answer.body.error, /not a Pub\/Sub push/);
    });
});

describe("the webhook relay without a Slack webhook configured", () => {
    it("answers 503 naming the missing setting", async () => {
        const world = await startWorld();
        try {
            const answer = await world.post("/relay", push(INCIDENT));
            assert.equal(answer.status, 503);
            assert.match(answer.body.error, /KEYWARDEN_SLACK_WEBHOOK_SECRET/);
        } finally {
            await world.stop();
        }
    });
});
