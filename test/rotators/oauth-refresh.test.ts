/**
 * Slack token rotation against the fake Slack OAuth server: the single-use refresh token must
 * be stored before the new access token is handed over, and a spent one must reach a person.
 */
import * as assert from "node:assert/strict";
import { createRotator } from "../../functions/rotator/rotators";
import type { RotatorErrorCode } from "../../functions/rotator/rotators/rotator";
import { SlackTokenRotator } from "../../functions/rotator/rotators/oauth-refresh";
import { HOUR, ManualClock } from "../../standins/providers/clock";
import { FakeSlackOAuth, startFakeSlackOAuth } from "../../standins/providers/slack-oauth";
import {
    assertNoSecrets,
    captureLogs,
    depsWith,
    MemoryAdmin,
    RecordingTransport,
    rejectsWith,
} from "./support";

describe("Slack token rotation against the fake Slack OAuth server", () => {
    let slack: FakeSlackOAuth;
    let clock: ManualClock;
    let admin: MemoryAdmin;
    let transport: RecordingTransport;
    let logs: ReturnType<typeof captureLogs>;

    beforeEach(async () => {
        logs = captureLogs();
        clock = new ManualClock();
        slack = await startFakeSlackOAuth({ clock });
        const grant = slack.seedGrant();
        admin = new MemoryAdmin(
            JSON.stringify({
                clientSecret: slack.admin.clientSecret,
                refreshToken: grant.refreshToken.secret,
                note: "installed by hand",
            }),
        );
        transport = new RecordingTransport();
    });
    afterEach(async () => {
        await slack.stop();
        logs.restore();
        assertNoSecrets(logs.lines.join("\n"), everySecret());
    });

    /** Every token and the client secret: none may appear in an error or a log line. */
    function everySecret(): string[] {
        return [
            slack.admin.clientSecret,
            ...slack.register.all().map((k) => k.secret),
            ...slack.refreshTokens.all().map((k) => k.secret),
        ];
    }

    function rotator(clientId = slack.admin.clientId): SlackTokenRotator {
        const config = {
            kind: "oauth-refresh" as const,
            provider: "slack" as const,
            clientId,
            endpoint: slack.baseUrl,
        };
        const source = createRotator(config, depsWith(transport, admin));
        assert.ok(source.mode === "automatic" && source.rotator instanceof SlackTokenRotator);
        return source.rotator;
    }
    /** A refresh that must fail with `code`; returns the error. */
    function failedRefresh(code: RotatorErrorCode, subject = rotator()) {
        return rejectsWith(subject.create({ keyName: "k", attemptId: "r" }), code, everySecret());
    }

    it("stores the new refresh token, other fields kept, and returns a working token", async () => {
        const issued = await rotator().create({ keyName: "keywarden-slack-s1", attemptId: "s1" });
        const [spent, renewed] = slack.refreshTokens.all();
        assert.deepEqual(JSON.parse(admin.versions[1]), {
            clientSecret: slack.admin.clientSecret,
            refreshToken: renewed.secret,
            note: "installed by hand",
        });
        assert.equal(spent.revokeReason, "used", "the old refresh token is spent");
        assert.equal(issued.keyId, "s1", "the attempt ID stands in for Slack's missing token ID");
        assert.equal(issued.expiresAt?.toISOString(), "2026-01-01T12:00:00.000Z");
        assert.ok(slack.register.authenticate(issued.secret), "the access token works at Slack");
        await rotator().verify(issued);
        assert.equal(transport.sent[0].idempotent, false, "a refresh is never repeated blindly");
    });

    it("keeps refreshing with the token it stored last time", async () => {
        const first = await rotator().create({ keyName: "k-1", attemptId: "r1" });
        const second = await rotator().create({ keyName: "k-2", attemptId: "r2" });
        assert.notEqual(first.secret, second.secret);
        assert.equal(admin.versions.length, 3);
        assert.equal(slack.requests.count("refresh"), 2);
    });

    it("retries storing the refresh token, and if it cannot, asks for a person", async () => {
        admin.failReplaces = 1;
        await rotator().create({ keyName: "k-1", attemptId: "r1" });
        assert.equal(admin.versions.length, 2, "stored on the second try");

        admin.failReplaces = 3;
        const error = await failedRefresh("needs-human");
        assert.equal(
            error.message,
            "Slack refresh succeeded but the new refresh token could not be stored in the admin " +
                "secret (3 tries); the old one is spent: reinstall the app and store its refresh " +
                "token",
        );
    });

    it("reports a spent refresh token as needing a person", async () => {
        const spent = await admin.read();
        await rotator().create({ keyName: "k-1", attemptId: "r1" });
        admin.versions.push(spent);
        const error = await failedRefresh("needs-human");
        assert.equal(
            error.message,
            "Slack refresh answered ok=false (invalid_refresh_token): " +
                "the refresh token is spent or revoked; reinstall the app and store the new " +
                "refresh token in the admin secret",
        );
    });

    it("reports a wrong client secret or client ID as admin-rejected", async () => {
        const stored = JSON.parse(await admin.read());
        admin.versions.push(JSON.stringify({ ...stored, clientSecret: "f".repeat(32) }));
        await failedRefresh("admin-rejected");
        admin.versions.pop();
        await failedRefresh("admin-rejected", rotator("111.222"));
        assert.equal(slack.refreshTokens.validNow().length, 1, "the refresh token was not spent");
    });

    it("reports a Slack rate limit on refresh as a limit", async () => {
        slack.faults.inject("refresh", { kind: "rate-limit", retryAfterSeconds: 30 });
        await failedRefresh("limit");
    });

    it("rejects an access token Slack no longer accepts", async () => {
        const issued = await rotator().create({ keyName: "k", attemptId: "r" });
        clock.advance(12 * HOUR);
        const error = await rejectsWith(rotator().verify(issued), "key-rejected", everySecret());
        assert.equal(
            error.message,
            "Slack verify answered ok=false (token_expired): the new " +
                "access token does not work; it must not be published",
        );
    });

    it("does not revoke or look up tokens: old access tokens expire on their own", async () => {
        const subject = rotator();
        assert.equal(subject.revokes, false);
        assert.equal(subject.canFindByName, false);
        assert.equal(await subject.revoke(), "already-revoked");
        assert.equal(transport.sent.length, 0);
    });

    it("refuses an admin secret that is not the expected JSON, sending nothing", async () => {
        admin.versions.push("xoxe-1-just-a-token");
        const error = await failedRefresh("admin-rejected");
        assert.ok(!error.message.includes("xoxe-1-just-a-token"));
        assert.equal(
            error.message,
            "Slack refresh: the admin secret must hold JSON " +
                '{"clientSecret": "...", "refreshToken": "xoxe-1-..."}; store it so',
        );
        assert.equal(transport.sent.length, 0);
    });
});
