import assert from "node:assert/strict";
import { setLogSink, type LogSink } from "../../functions/rotator/log";
import { OutboundClient } from "../../functions/rotator/net";
import type { Notice } from "../../functions/rotator/notify/notice";
import {
    SlackWebhookNotifier,
    type SlackWebhookOptions,
} from "../../functions/rotator/notify/slack-webhook";
import {
    reply,
    startServer,
    watchConnections,
    type ConnectionWatch,
    type LoopbackServer,
} from "../net/loopback";

/** The secret part of every stand-in webhook path; it must never show up in a log line. */
const HOOK_TOKEN = "xoxwebhooksecret0123456789";

const NOTICE: Notice = {
    title: "Rotation failed for weather-bot",
    severity: "error",
    lines: ["SendGrid answered 403 when creating a key.", "The current key is unchanged <ok>."],
    fields: { bot: "weather-bot", secret: "sendgrid-key", version: "7" },
    nextStep: "Check that the admin key still has the api_keys scopes.",
};

/**
 * Slack's incoming-webhook answers, chosen by the hook name in the path:
 * `/services/T0/B0/<name>-<token>`.
 */
function slackStandIn(
    request: { path: string; body: string },
    response: Parameters<typeof reply>[0],
) {
    const hook = request.path.split("/")[4]?.split("-")[0];
    let payload: { text?: unknown } | undefined;
    try {
        payload = JSON.parse(request.body);
    } catch {
        payload = undefined;
    }
    if (hook === "revoked") return reply(response, 404, "no_service");
    if (hook === "archived") return reply(response, 410, "channel_is_archived");
    if (hook === "badpayload" || payload === undefined) {
        return reply(response, 400, "invalid_payload");
    }
    if (hook === "notext") return reply(response, 400, "no_text");
    if (hook === "leaky") return reply(response, 400, `unexpected ${HOOK_TOKEN}`);
    if (hook === "busy") return reply(response, 429, "rate_limited", { "retry-after": "1" });
    if (hook === "throttled") return reply(response, 429, "rate_limited", { "retry-after": "600" });
    if (typeof payload.text !== "string" || payload.text === "") {
        return reply(response, 400, "no_text");
    }
    return reply(response, 200, "ok");
}

describe("slack webhook notifier", () => {
    let server: LoopbackServer;
    let logs: string[];
    let previousSink: LogSink;
    let sleeps: number[];
    let fetches: number;
    let clock: number;
    let watch: ConnectionWatch;

    beforeEach(async () => {
        watch = watchConnections();
        server = await startServer(slackStandIn);
        logs = [];
        sleeps = [];
        fetches = 0;
        clock = 1_000_000;
        previousSink = setLogSink((line) => logs.push(line));
    });
    afterEach(async () => {
        setLogSink(previousSink);
        watch.restore();
        assert.deepEqual(watch.refused, [], "a socket headed off loopback");
        assert.ok(!logs.join("\n").includes(HOOK_TOKEN), "a log line holds the webhook token");
        assert.ok(!logs.join("\n").includes("/services/"), "a log line holds the webhook path");
        await server.close();
    });

    const hookUrl = (name: string) => `${server.origin}/services/T0/B0/${name}-${HOOK_TOKEN}`;
    function notifier(
        url: string | (() => Promise<string>),
        extra: Partial<SlackWebhookOptions> = {},
    ) {
        return new SlackWebhookNotifier({
            webhookUrl:
                typeof url === "function"
                    ? url
                    : async () => {
                          fetches++;
                          return url;
                      },
            client: new OutboundClient({
                allowLoopback: true,
                maxAttempts: 2,
                maxRetryAfterMs: 5_000,
                sleep: async (ms) => {
                    sleeps.push(ms);
                },
                random: () => 0,
            }),
            now: () => clock,
            ...extra,
        });
    }

    it("delivers a notice as text plus header, explanation, fields and next step", async () => {
        const result = await notifier(hookUrl("ops")).send(NOTICE);
        assert.deepEqual(result, { delivered: true });
        assert.equal(server.seen.length, 1);
        const seen = server.seen[0];
        assert.equal(seen.method, "POST");
        assert.match(String(seen.headers["content-type"]), /^application\/json/);
        const payload = JSON.parse(seen.body);
        assert.equal(
            payload.text,
            "Rotation failed for weather-bot\nSendGrid answered 403 when creating a key.\nThe " +
                "current key is unchanged &lt;ok&gt;.\nNext step: Check that the admin key still " +
                "has the api_keys scopes.",
        );
        assert.deepEqual(payload.blocks[0], {
            type: "header",
            text: {
                type: "plain_text",
                emoji: true,
                text: ":rotating_light: Rotation failed for weather-bot",
            },
        });
        assert.equal(payload.blocks[1].text.type, "mrkdwn");
        assert.match(payload.blocks[1].text.text, /unchanged &lt;ok&gt;\.$/);
        assert.deepEqual(
            payload.blocks[2].fields.map((field: { text: string }) => field.text),
            ["*bot*\nweather-bot", "*secret*\nsendgrid-key", "*version*\n7"],
        );
        assert.equal(
            payload.blocks[3].text.text,
            "*Next step:* Check that the admin key still has the api_keys scopes.",
        );
        assert.deepEqual(logs, []);
    });

    it("splits more than ten fields into sections of ten, Slack's limit", async () => {
        const fields = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, `${i}`]));
        await notifier(hookUrl("ops")).send({ ...NOTICE, fields, nextStep: undefined });
        const blocks = JSON.parse(server.seen[0].body).blocks;
        assert.deepEqual(
            blocks.map((block: { fields?: unknown[] }) => block.fields?.length),
            [undefined, undefined, 10, 2],
        );
    });

    const rejections: Array<[string, number, string]> = [
        ["badpayload", 400, "invalid_payload"],
        ["notext", 400, "no_text"],
        ["revoked", 404, "no_service"],
        ["archived", 410, "channel_is_archived"],
    ];
    for (const [hook, status, slackError] of rejections) {
        it(
            `reports ${status} ${slackError} without throwing, logging the status ` + `only`,
            async () => {
                const result = await notifier(hookUrl(hook)).send(NOTICE);
                assert.deepEqual(result, {
                    delivered: false,
                    reason: "rejected",
                    status,
                    slackError,
                });
                assert.equal(logs.length, 1);
                const line = JSON.parse(logs[0]);
                assert.equal(line.severity, "WARNING");
                assert.equal(line.event, "notify.failed");
                assert.equal(line.status, status);
                assert.ok(!logs[0].includes(slackError), "Slack's body is not logged");
            },
        );
    }

    it("does not echo an error body Slack does not document", async () => {
        const result = await notifier(hookUrl("leaky")).send(NOTICE);
        assert.deepEqual(result, {
            delivered: false,
            reason: "rejected",
            status: 400,
            slackError: undefined,
        });
    });

    it("waits out a short 429 Retry-After and delivers", async () => {
        let first = true;
        await server.close();
        server = await startServer((request, response) => {
            if (first) {
                first = false;
                return reply(response, 429, "rate_limited", { "retry-after": "1" });
            }
            return slackStandIn(request, response);
        });
        const result = await notifier(hookUrl("ops")).send(NOTICE);
        assert.deepEqual(result, { delivered: true });
        assert.deepEqual(sleeps, [1000]);
        assert.equal(server.seen.length, 2);
    });

    it("reports rate-limited when Slack keeps answering 429 or asks for a long wait", async () => {
        for (const hook of ["busy", "throttled"]) {
            const result = await notifier(hookUrl(hook)).send(NOTICE);
            assert.equal(result.delivered, false);
            assert.equal(result.reason, "rate-limited");
            assert.equal(result.status, 429);
        }
        assert.deepEqual(sleeps, [1000], "only the short Retry-After is slept on");
    });

    it("reports an unreachable Slack without throwing", async () => {
        const closed = await startServer(() => undefined);
        await closed.close();
        const url = `${closed.origin}/services/T0/B0/ops-${HOOK_TOKEN}`;
        const result = await notifier(url).send(NOTICE);
        assert.deepEqual(result, { delivered: false, reason: "unreachable", status: undefined });
        assert.deepEqual(
            logs.map((line) => JSON.parse(line).event),
            ["outbound.retry", "notify.failed"],
        );
        assert.equal(JSON.parse(logs[0]).url, `${closed.origin}/[redacted]`);
    });

    it("accepts only https://hooks.slack.com URLs from a production client", async () => {
        for (const url of [
            `https://hooks.slack.com.attacker.example/services/T0/B0/${HOOK_TOKEN}`,
            `http://hooks.slack.com/services/T0/B0/${HOOK_TOKEN}`,
            `https://hooks.slack.com:8443/services/T0/B0/${HOOK_TOKEN}`,
            `https://user:${HOOK_TOKEN}@hooks.slack.com/services/T0/B0/x`,
            "https://hooks.slack.com/",
            hookUrl("ops"),
            `not a url ${HOOK_TOKEN}`,
        ]) {
            const result = await new SlackWebhookNotifier({ webhookUrl: async () => url }).send(
                NOTICE,
            );
            assert.deepEqual(result, { delivered: false, reason: "webhook-url-invalid" }, url);
        }
        assert.deepEqual(watch.hosts, []);
    });

    it("reports a webhook URL that cannot be read, without the reader's error text", async () => {
        const result = await notifier(async () => {
            throw new Error(`permission denied reading ${hookUrl("ops")}`);
        }).send(NOTICE);
        assert.deepEqual(result, { delivered: false, reason: "webhook-url-unavailable" });
        assert.match(JSON.parse(logs[0]).message, /Could not read the Slack webhook URL/);
    });

    it("refuses an empty title without fetching the URL", async () => {
        const result = await notifier(hookUrl("ops")).send({ ...NOTICE, title: " " });
        assert.deepEqual(result, { delivered: false, reason: "invalid-notice" });
        assert.equal(fetches, 0);
        assert.match(JSON.parse(logs[0]).message, /`title` is empty$/);
    });

    it("caches the URL for the TTL, shares one read between concurrent sends", async () => {
        const sender = notifier(hookUrl("ops"), { cacheTtlMs: 60_000 });
        await Promise.all([sender.send(NOTICE), sender.send(NOTICE)]);
        await sender.send(NOTICE);
        assert.equal(fetches, 1);
        clock += 59_999;
        await sender.send(NOTICE);
        assert.equal(fetches, 1);
        clock += 1;
        await sender.send(NOTICE);
        assert.equal(fetches, 2);
        assert.equal(server.seen.length, 5);
    });

    it("re-reads the URL after Slack says the webhook is gone", async () => {
        const urls = [hookUrl("revoked"), hookUrl("ops")];
        const sender = notifier(async () => {
            fetches++;
            return urls.shift() ?? "";
        });
        assert.equal((await sender.send(NOTICE)).delivered, false);
        assert.equal((await sender.send(NOTICE)).delivered, true);
        assert.equal(fetches, 2);
    });
});
