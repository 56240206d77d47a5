import { strict as assert } from "node:assert";
import { DAY, ManualClock } from "../../standins/providers/clock";
import { call } from "../../standins/providers/http-client";
import { startFakeBotBackend, type FakeBotBackend } from "../../standins/providers/bot-backend";

describe("fake bot backend API keys", () => {
    const start = Date.UTC(2026, 0, 1);
    let clock: ManualClock;
    let fake: FakeBotBackend;
    const admin = () => ({ bearer: fake.admin.token });

    beforeEach(async () => {
        clock = new ManualClock(start);
        fake = await startFakeBotBackend({ clock });
    });
    afterEach(() => fake.stop());

    it("creates, verifies, uses and revokes a key through the documented shapes", async () => {
        const created = await call(fake.baseUrl, "POST", "/v1/api-keys", {
            ...admin(),
            json: { name: "kw-1", expires_at: "2026-04-01T00:00:00Z" },
        });
        assert.equal(created.status, 201);
        const { id, key, name, created_at, expires_at } = created.body;
        assert.match(id, /^key_/);
        assert.match(key, /^bk_live_/);
        assert.deepEqual(
            [name, created_at, expires_at],
            ["kw-1", "2026-01-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"],
        );
        const whoami = await call(fake.baseUrl, "GET", "/v1/whoami", { bearer: key });
        assert.deepEqual(whoami.body, { key_id: id, name: "kw-1" });
        assert.equal((await call(fake.baseUrl, "GET", "/v1/data", { bearer: key })).status, 200);
        const del = await call(fake.baseUrl, "DELETE", `/v1/api-keys/${id}`, admin());
        assert.equal(del.status, 204);
        const after = await call(fake.baseUrl, "GET", "/v1/data", { bearer: key });
        assert.deepEqual([after.status, after.body.error.code], [401, "unauthorized"]);
        const timeline = fake.register.timeline().map((e) => [e.kind, e.keyId]);
        assert.deepEqual(timeline, [
            ["issued", id],
            ["revoked", id],
        ]);
    });

    it("stops honouring a key at its expires_at, and the register dates the expiry", async () => {
        const key = fake.seedKey("bot", start + DAY);
        clock.advance(DAY);
        const res = await call(fake.baseUrl, "GET", "/v1/whoami", { bearer: key.secret });
        assert.equal(res.status, 401);
        assert.deepEqual(
            fake.register.validAt(start + DAY - 1).map((k) => k.id),
            [key.id],
        );
        assert.deepEqual(fake.register.validNow(), []);
        const expiry = fake.register.timeline().find((e) => e.kind === "expired");
        assert.equal(expiry?.at, start + DAY);
    });

    it("refuses a bot key as admin (403) and unknown fields (400)", async () => {
        const key = fake.seedKey();
        const asBot = await call(fake.baseUrl, "GET", "/v1/api-keys", { bearer: key.secret });
        assert.deepEqual([asBot.status, asBot.body.error.code], [403, "forbidden"]);
        const typo = await call(fake.baseUrl, "POST", "/v1/api-keys", {
            ...admin(),
            json: { name: "x", ttl: 3600 },
        });
        assert.equal(typo.status, 400);
        assert.match(typo.body.error.message, /`ttl`/);
        const list = await call(fake.baseUrl, "GET", "/v1/api-keys", admin());
        assert.deepEqual(
            list.body.keys.map((k: { id: string }) => k.id),
            [key.id],
        );
        assert.ok(!list.text.includes(key.secret));
    });
});
