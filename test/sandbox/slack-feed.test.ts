import * as assert from "node:assert/strict";
import type { DisplayLine } from "../../sandbox/display";
import { followSlack, slackLine } from "../../sandbox/slack-feed";
import { slackPayload } from "../../functions/rotator/notify/slack-webhook";

describe("the sandbox's Slack feed", () => {
    it("shows each message the function posts as one line, as soon as it arrives", async () => {
        const shown: DisplayLine[] = [];
        const feed = await followSlack((line) => shown.push(line));
        try {
            const payload = slackPayload({
                title: "Key rotated for mail-bot",
                severity: "info",
                lines: ["Version 2 of mail-key is now current."],
                fields: { version: "2" },
            });
            const answer = await fetch(feed.url, {
                method: "POST",
                body: JSON.stringify(payload),
                headers: { "content-type": "application/json" },
            });
            assert.equal(answer.status, 200);
            await waitFor(() => shown.length === 1);
            assert.deepEqual(shown, [
                {
                    lane: "slack",
                    label: "message",
                    tone: "plain",
                    detail: "Key rotated for mail-bot | Version 2 of mail-key is now current.",
                },
            ]);
            assert.equal(feed.count, 1);
            assert.deepEqual(feed.secrets, [feed.url, new URL(feed.url).pathname]);
        } finally {
            await feed.stop();
        }
    });

    it("marks warnings and errors by the message's severity and undoes Slack's escaping", () => {
        const warning = slackPayload({
            title: "Previous key retired for mail-bot",
            severity: "warning",
            lines: ["Revoke <the old key> & check"],
            fields: {},
            nextStep: "Revoke it by hand.",
        });
        assert.deepEqual(slackLine(warning), {
            lane: "slack",
            label: "message",
            tone: "warn",
            detail:
                "Previous key retired for mail-bot | Revoke <the old key> & check | " +
                "Next step: Revoke it by hand.",
        });
        const error = slackPayload({
            title: "Key rotation failed for mail-bot",
            severity: "error",
            lines: [],
            fields: {},
        });
        assert.equal(slackLine(error).tone, "bad");
    });
});

async function waitFor(ready: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !ready(); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(ready(), "the line was shown within a second");
}
