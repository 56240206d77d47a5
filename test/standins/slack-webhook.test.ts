import { strict as assert } from "node:assert";
import { call, type CallOptions } from "../../standins/providers/http-client";
import {
    startSlackWebhookReceiver,
    type SlackWebhookReceiver,
} from "../../standins/slack/webhook-receiver";

describe("Slack incoming-webhook receiver", () => {
    let receiver: SlackWebhookReceiver;
    const post = (options: CallOptions, url = receiver.url) => call(url, "POST", "", options);

    beforeEach(async () => (receiver = await startSlackWebhookReceiver()));
    afterEach(() => receiver.stop());

    it("records a JSON message and answers ok in text/plain", async () => {
        assert.match(new URL(receiver.url).pathname, /^\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/\w+$/);
        const text = "Key rotated for weather-bot (version 7).";
        const res = await post({ json: { text } });
        assert.deepEqual([res.status, res.text], [200, "ok"]);
        assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
        assert.deepEqual(
            receiver.messages.map((m) => m.body),
            [{ text }],
        );
    });

    it("accepts a form-encoded payload and a blocks-only message", async () => {
        const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*alert*" } }];
        assert.equal((await post({ form: { payload: JSON.stringify({ blocks }) } })).text, "ok");
        assert.deepEqual(receiver.messages[0].body, { blocks });
    });

    it("answers Slack's errors: invalid_payload, no_text, no_service", async () => {
        const json = { "Content-Type": "application/json" };
        const bad = await post({ rawBody: "{not json", headers: json });
        const noText = await post({ json: { attachments: [] } });
        const blank = await post({ json: { text: "  " } });
        const unknown = await post({ json: { text: "x" } }, `${receiver.baseUrl}/services/T0/B0/x`);
        assert.deepEqual([bad.status, bad.text], [400, "invalid_payload"]);
        assert.deepEqual([noText.status, noText.text], [400, "no_text"]);
        assert.equal(blank.text, "no_text");
        assert.deepEqual([unknown.status, unknown.text], [404, "no_service"]);
        assert.equal(receiver.messages.length, 0);
        assert.deepEqual(receiver.requests.snapshot(), {
            post: { total: 3, failed: 3 },
            unmatched: { total: 1, failed: 1 },
        });
    });

    it("injects 429 with Retry-After and 500, recording nothing", async () => {
        receiver.faults.inject("post", { kind: "rate-limit", retryAfterSeconds: 4 });
        receiver.faults.inject("post", { kind: "server-error" });
        const limited = await post({ json: { text: "a" } });
        const failed = await post({ json: { text: "a" } });
        assert.deepEqual([limited.status, limited.text], [429, "rate_limited"]);
        assert.equal(limited.headers.get("retry-after"), "4");
        assert.deepEqual([failed.status, failed.text], [500, "rollup_error"]);
        assert.equal(receiver.messages.length, 0);
        assert.equal((await post({ json: { text: "a" } })).status, 200);
    });

    it("orphan: the message is posted although the caller sees a 500", async () => {
        receiver.faults.inject("post", { kind: "orphan" });
        const res = await post({ json: { text: "dup?" } });
        assert.equal(res.status, 500);
        assert.equal(receiver.messages.length, 1);
        assert.throws(
            () => receiver.faults.inject("post", { kind: "missing-key" }),
            /not supported here/,
        );
    });

    it("waits until N messages arrived, and times out with a clear error", async () => {
        const waiting = receiver.waitForMessages(2, 1000);
        await post({ json: { text: "one" } });
        await post({ json: { text: "two" } });
        const messages = await waiting;
        assert.deepEqual(
            messages.map((m) => m.body.text),
            ["one", "two"],
        );
        await assert.rejects(
            receiver.waitForMessages(3, 50),
            /^Error: Expected 3 Slack message\(s\) within 50 ms; got 2\.$/,
        );
    });

    it("serves several configured webhook paths and refuses other methods", async () => {
        await receiver.stop();
        const paths = ["/services/T1/B1/a", "/services/T1/B2/b"];
        receiver = await startSlackWebhookReceiver({ paths });
        await post({ json: { text: "to b" } }, receiver.urls[1]);
        assert.deepEqual(
            receiver.messages.map((m) => m.path),
            ["/services/T1/B2/b"],
        );
        assert.equal((await call(receiver.url, "GET", "")).status, 405);
    });

    it("rejects pending waits when it stops", async () => {
        const waiting = receiver.waitForMessages(1, 1000);
        await receiver.stop();
        await assert.rejects(waiting, /stopped before the messages came/);
    });
});
