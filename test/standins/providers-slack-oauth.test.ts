import { strict as assert } from "node:assert";
import { HOUR, ManualClock } from "../../standins/providers/clock";
import { call } from "../../standins/providers/http-client";
import { startFakeSlackOAuth, type FakeSlackOAuth } from "../../standins/providers/slack-oauth";

describe("fake Slack OAuth token rotation", () => {
    let clock: ManualClock;
    let fake: FakeSlackOAuth;
    const refresh = (refreshToken: string, overrides: Record<string, string> = {}) =>
        call(fake.baseUrl, "POST", "/api/oauth.v2.access", {
            form: {
                client_id: fake.admin.clientId,
                client_secret: fake.admin.clientSecret,
                grant_type: "refresh_token",
                refresh_token: refreshToken,
                ...overrides,
            },
        });
    const authTest = (token: string) =>
        call(fake.baseUrl, "POST", "/api/auth.test", { bearer: token });
    const failure = (error: string) => ({ ok: false, error });

    beforeEach(async () => {
        clock = new ManualClock();
        fake = await startFakeSlackOAuth({ clock });
    });
    afterEach(() => fake.stop());

    it("exchanges a refresh token for a 12-hour access token and a new refresh token", async () => {
        const grant = fake.seedGrant();
        const res = await refresh(grant.refreshToken.secret);
        assert.equal(res.status, 200);
        assert.equal(res.body.ok, true);
        assert.match(res.body.access_token, /^xoxe\.xoxb-1-/);
        assert.match(res.body.refresh_token, /^xoxe-1-/);
        assert.deepEqual([res.body.token_type, res.body.expires_in], ["bot", 43200]);
        const ok = await authTest(res.body.access_token);
        assert.deepEqual([ok.status, ok.body.ok], [200, true]);
        clock.advance(12 * HOUR);
        const expired = await authTest(res.body.access_token);
        assert.deepEqual([expired.status, expired.body], [200, failure("token_expired")]);
    });

    it("accepts a refresh token once: a replay gets invalid_refresh_token, HTTP 200", async () => {
        const { refreshToken } = fake.seedGrant();
        assert.equal((await refresh(refreshToken.secret)).body.ok, true);
        const replay = await refresh(refreshToken.secret);
        assert.deepEqual([replay.status, replay.body], [200, failure("invalid_refresh_token")]);
        assert.equal(fake.refreshTokens.findBySecret(refreshToken.secret)?.revokeReason, "used");
        const counts = [fake.requests.count("refresh"), fake.requests.failures("refresh")];
        assert.deepEqual(counts, [2, 1]);
    });

    it("keeps at most two access tokens active: a refresh revokes the oldest", async () => {
        const first = fake.seedGrant();
        const second = await refresh(first.refreshToken.secret);
        const third = await refresh(second.body.refresh_token);
        assert.equal(third.body.ok, true);
        const oldest = await authTest(first.accessToken.secret);
        assert.deepEqual(oldest.body, failure("token_revoked"));
        assert.equal((await authTest(second.body.access_token)).body.ok, true);
        assert.equal((await authTest(third.body.access_token)).body.ok, true);
        assert.equal(fake.register.validNow().length, 2);
    });

    it("names the wrong client credential, grant type or parameter", async () => {
        const { refreshToken } = fake.seedGrant();
        const errors = await Promise.all([
            refresh(refreshToken.secret, { client_id: "1.2" }),
            refresh(refreshToken.secret, { client_secret: "wrong" }),
            refresh(refreshToken.secret, { grant_type: "authorization_code" }),
            refresh(refreshToken.secret, { scope: "chat:write" }),
            refresh("xoxe-1-unknown"),
        ]);
        assert.deepEqual(
            errors.map((r) => r.body.error),
            [
                "invalid_client_id",
                "bad_client_secret",
                "invalid_grant_type",
                "invalid_arguments",
                "invalid_refresh_token",
            ],
        );
        assert.ok(errors.every((r) => r.status === 200));
        const json = await call(fake.baseUrl, "POST", "/api/oauth.v2.access", {
            json: { client_id: fake.admin.clientId, refresh_token: refreshToken.secret },
        });
        assert.deepEqual(json.body, failure("invalid_form_data"));
        assert.equal(
            fake.refreshTokens.authenticate(refreshToken.secret)?.id,
            refreshToken.id,
            "a failed exchange does not spend the refresh token",
        );
    });

    it("posts messages for a working token; not_authed / invalid_auth otherwise", async () => {
        const { accessToken } = fake.seedGrant();
        const post = (json: object, bearer?: string) =>
            call(fake.baseUrl, "POST", "/api/chat.postMessage", { bearer, json });
        const message = { channel: "C123", text: "rotation done" };
        assert.equal((await post(message, accessToken.secret)).body.ok, true);
        assert.equal((await post(message)).body.error, "not_authed");
        assert.equal((await post(message, "xoxb-nope")).body.error, "invalid_auth");
        const noText = await post({ channel: "C123" }, accessToken.secret);
        assert.equal(noText.body.error, "no_text");
        assert.deepEqual([fake.requests.count("use"), fake.requests.failures("use")], [4, 3]);
    });

    it("answers a rate limit as Slack does: HTTP 429, Retry-After, ok false", async () => {
        const { refreshToken } = fake.seedGrant();
        fake.faults.inject("refresh", { kind: "rate-limit", retryAfterSeconds: 3 });
        const res = await refresh(refreshToken.secret);
        assert.deepEqual([res.status, res.headers.get("retry-after")], [429, "3"]);
        assert.deepEqual(res.body, failure("ratelimited"));
    });

    it("missing-key on refresh removes both new tokens, which were still issued", async () => {
        const { refreshToken } = fake.seedGrant();
        fake.faults.inject("refresh", { kind: "missing-key" });
        const res = await refresh(refreshToken.secret);
        assert.equal(res.body.ok, true);
        assert.equal(res.body.access_token, undefined);
        assert.equal(res.body.refresh_token, undefined);
        assert.equal(fake.refreshTokens.validNow().length, 1, "the new refresh token exists");
        assert.equal(fake.refreshTokens.authenticate(refreshToken.secret), undefined);
    });
});
