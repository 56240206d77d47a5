import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { DAY, ManualClock } from "../../standins/providers/clock";
import { call, type CallOptions } from "../../standins/providers/http-client";
import { startFakeOpenRouter, type FakeOpenRouter } from "../../standins/providers/openrouter";

describe("fake OpenRouter API keys", () => {
    const start = Date.UTC(2026, 0, 1);
    let clock: ManualClock;
    let fake: FakeOpenRouter;
    const api = (method: string, path: string, options?: CallOptions) =>
        call(fake.baseUrl, method, path, options);
    const admin = () => ({ bearer: fake.admin.managementKey });
    const create = (json: unknown, auth: CallOptions = admin()) =>
        api("POST", "/api/v1/keys", { ...auth, json });
    const chat = (bearer: string) =>
        api("POST", "/api/v1/chat/completions", {
            bearer,
            json: { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
        });

    beforeEach(async () => {
        clock = new ManualClock(start);
        fake = await startFakeOpenRouter({ clock });
    });
    afterEach(() => fake.stop());

    it("creates a key (201) addressed by its hash, with expires_at", async () => {
        const res = await create({ name: "kw-1", limit: 10, expires_at: "2026-02-01T00:00:00Z" });
        assert.equal(res.status, 201);
        assert.match(res.body.key, /^sk-or-v1-[0-9a-f]{64}$/);
        const { hash, name, disabled, limit, expires_at } = res.body.data;
        assert.equal(hash, createHash("sha256").update(res.body.key).digest("hex"));
        assert.deepEqual([name, disabled, limit], ["kw-1", false, 10]);
        assert.equal(Date.parse(expires_at), Date.UTC(2026, 1, 1));
        assert.equal(fake.register.find(hash)?.secret, res.body.key);
    });

    it("verifies with GET /api/v1/key until expires_at, then answers 401", async () => {
        const key = fake.seedKey("bot", start + DAY);
        const ok = await api("GET", "/api/v1/key", { bearer: key.secret });
        assert.equal(ok.status, 200);
        assert.equal(ok.body.data.is_provisioning_key, false);
        clock.advance(DAY);
        const expired = await api("GET", "/api/v1/key", { bearer: key.secret });
        assert.deepEqual([expired.status, expired.body.error.code], [401, 401]);
        const got = await api("GET", `/api/v1/keys/${key.id}`, admin());
        assert.equal(got.body.data.expired, true, "an expired key still exists");
    });

    it("revokes by hash; the revoked key fails chat completions", async () => {
        const key = fake.seedKey();
        assert.equal((await chat(key.secret)).status, 200);
        const del = await api("DELETE", `/api/v1/keys/${key.id}`, admin());
        assert.deepEqual([del.status, del.body], [200, { deleted: true }]);
        assert.equal((await chat(key.secret)).status, 401);
        const list = await api("GET", "/api/v1/keys", admin());
        assert.deepEqual(list.body.data, []);
    });

    it("keeps management and inference keys apart", async () => {
        const key = fake.seedKey();
        const statuses = [
            (await create({ name: "x" }, { bearer: key.secret })).status,
            (await create({ name: "x" }, { bearer: "sk-or-v1-0" })).status,
            (await chat(fake.admin.managementKey)).status,
        ];
        assert.deepEqual(statuses, [403, 401, 403]);
        assert.equal(fake.register.all().length, 1);
    });

    it("rejects an expires_at in the past, a bad limit and unknown fields", async () => {
        const past = await create({ name: "x", expires_at: "2025-12-31T00:00:00Z" });
        assert.match(past.body.error.message, /`expires_at` must be in the future/);
        const badLimit = await create({ name: "x", limit: "10" });
        assert.match(badLimit.body.error.message, /`limit` must be a number/);
        const typo = await create({ name: "x", expires_on: "2027-01-01T00:00:00Z" });
        assert.match(typo.body.error.message, /`expires_on`/);
        assert.equal(fake.register.all().length, 0);
    });
});
