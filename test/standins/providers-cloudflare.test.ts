import { strict as assert } from "node:assert";
import { DAY, HOUR, ManualClock } from "../../standins/providers/clock";
import { call, type CallOptions } from "../../standins/providers/http-client";
import { startFakeCloudflare, type FakeCloudflare } from "../../standins/providers/cloudflare";

describe("fake Cloudflare API tokens", () => {
    const start = Date.UTC(2026, 0, 1);
    let clock: ManualClock;
    let fake: FakeCloudflare;
    const policies = [
        {
            effect: "allow",
            resources: { "com.cloudflare.api.account.zone.*": "*" },
            permission_groups: [{ id: "c8fed203ed3043cba015a93ad1616f1f" }],
        },
    ];
    const api = (method: string, path: string, options?: CallOptions) =>
        call(fake.baseUrl, method, path, options);
    const admin = () => ({ bearer: fake.admin.token });
    const accountTokens = () => `/client/v4/accounts/${fake.admin.accountId}/tokens`;
    const userTokens = "/client/v4/user/tokens";
    const zones = (bearer: string) => api("GET", "/client/v4/zones", { bearer });

    beforeEach(async () => {
        clock = new ManualClock(start);
        fake = await startFakeCloudflare({ clock, userTokenLimit: 2 });
    });
    afterEach(() => fake.stop());

    it("creates an account token with the documented envelope and the value once", async () => {
        const res = await api("POST", accountTokens(), {
            ...admin(),
            json: { name: "kw-dns", policies, expires_on: "2026-03-01T00:00:00Z" },
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.success, true);
        assert.deepEqual(res.body.errors, []);
        const { id, value, status, expires_on } = res.body.result;
        assert.match(id, /^[0-9a-f]{32}$/);
        assert.equal(status, "active");
        assert.equal(expires_on, "2026-03-01T00:00:00Z");
        assert.equal(fake.register.find(id)?.secret, value);
        const list = await api("GET", accountTokens(), admin());
        assert.equal(list.body.result.length, 1);
        assert.ok(!list.text.includes(value), "a list never shows the value");
    });

    it("verifies a token with itself and stops honouring it at expires_on", async () => {
        const token = fake.seedKey("bot", { owner: "account", expiresAt: start + DAY });
        const verify = () => api("GET", `${accountTokens()}/verify`, { bearer: token.secret });
        const ok = await verify();
        assert.equal(ok.status, 200);
        assert.deepEqual([ok.body.result.id, ok.body.result.status], [token.id, "active"]);
        clock.advance(DAY);
        const expired = await verify();
        assert.equal(expired.status, 401);
        assert.deepEqual(expired.body.errors, [{ code: 1000, message: "Invalid API Token" }]);
        assert.equal((await zones(token.secret)).status, 403);
    });

    it("keeps user and account tokens apart", async () => {
        const token = fake.seedKey("u");
        const bearer = token.secret;
        assert.equal((await api("GET", `${accountTokens()}/verify`, { bearer })).status, 401);
        assert.equal((await api("GET", `${userTokens}/verify`, { bearer })).status, 200);
        const wrongOwner = await api("DELETE", `${accountTokens()}/${token.id}`, admin());
        assert.equal(wrongOwner.status, 404);
    });

    it("rolls a token in place: the old value fails at once (why rotation avoids it)", async () => {
        const token = fake.seedKey("bot");
        const roll = await api("PUT", `${userTokens}/${token.id}/value`, { ...admin(), json: {} });
        assert.equal(roll.status, 200);
        assert.equal(typeof roll.body.result, "string");
        assert.equal((await zones(token.secret)).status, 403, "every old consumer breaks");
        assert.equal((await zones(roll.body.result)).status, 200);
        assert.equal(fake.register.findBySecret(token.secret)?.revokeReason, "rolled");
    });

    it("revokes by ID; the revoked token fails the use call", async () => {
        const token = fake.seedKey("bot");
        const del = await api("DELETE", `${userTokens}/${token.id}`, admin());
        assert.deepEqual([del.status, del.body.result], [200, { id: token.id }]);
        assert.equal((await zones(token.secret)).status, 403);
        assert.equal(fake.requests.failures("use"), 1);
    });

    it("enforces the per-owner token limit", async () => {
        fake.seedKey("a");
        fake.seedKey("b");
        const res = await api("POST", userTokens, { ...admin(), json: { name: "c", policies } });
        assert.equal(res.status, 400);
        assert.equal(res.body.success, false);
        assert.match(res.body.errors[0].message, /already has 2 API tokens/);
        const onAccount = await api("POST", accountTokens(), {
            ...admin(),
            json: { name: "c", policies },
        });
        assert.equal(onAccount.status, 200, "the account's own limit is separate");
    });

    it("rejects bad input and bad credentials, naming the field", async () => {
        const post = (json: unknown, auth: CallOptions = admin()) =>
            api("POST", userTokens, { ...auth, json });
        const past = await post({ name: "x", policies, expires_on: "2025-01-01T00:00:00Z" });
        assert.match(past.body.errors[0].message, /`expires_on` must be in the future/);
        const typo = await post({ name: "x", policies, expires_at: "2027-01-01T00:00:00Z" });
        assert.match(typo.body.errors[0].message, /`expires_at`/);
        const noPolicies = await post({ name: "x" });
        assert.match(noPolicies.body.errors[0].message, /`policies` must be a non-empty array/);
        const bot = fake.seedKey("bot");
        const asBot = await post({ name: "x", policies }, { bearer: bot.secret });
        assert.deepEqual([asBot.status, asBot.body.errors[0].code], [403, 9109]);
        const unknown = await post({ name: "x", policies }, { bearer: "nope" });
        assert.deepEqual([unknown.status, unknown.body.errors[0].code], [403, 10000]);
        assert.equal((await post({ name: "x", policies }, {})).status, 400);
        const badAccount = await api("GET", "/client/v4/accounts/0000/tokens", admin());
        assert.equal(badAccount.status, 404);
        assert.equal(fake.register.existingCount(), 1, "only the seeded token exists");
    });

    it("honours not_before: a token does not work before it", async () => {
        const res = await api("POST", userTokens, {
            ...admin(),
            json: { name: "later", policies, not_before: "2026-01-01T06:00:00Z" },
        });
        assert.equal((await zones(res.body.result.value)).status, 403);
        clock.advance(6 * HOUR);
        assert.equal((await zones(res.body.result.value)).status, 200);
    });
});
