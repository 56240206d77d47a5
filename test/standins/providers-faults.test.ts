import { strict as assert } from "node:assert";
import { call } from "../../standins/providers/http-client";
import { startFakeSendGrid, type FakeSendGrid } from "../../standins/providers/sendgrid";

describe("fake providers: injected faults (played by the fake SendGrid)", () => {
    let fake: FakeSendGrid;
    const create = (name = "kw-1", timeoutMs?: number) =>
        call(fake.baseUrl, "POST", "/v3/api_keys", {
            bearer: fake.admin.apiKey,
            json: { name },
            timeoutMs,
        });
    const isTimeout = (e: Error) => e.name === "TimeoutError";

    beforeEach(async () => (fake = await startFakeSendGrid()));
    afterEach(() => fake.stop());

    it("rate-limit: 429 with Retry-After in the provider's shape, nothing created", async () => {
        fake.faults.inject("create", { kind: "rate-limit", retryAfterSeconds: 7 }, 2);
        for (const _ of [1, 2]) {
            const res = await create();
            assert.equal(res.status, 429);
            assert.equal(res.headers.get("retry-after"), "7");
            assert.equal(typeof res.body.errors[0].message, "string");
        }
        assert.equal(fake.register.all().length, 0);
        assert.equal((await create()).status, 201, "the third request is served normally");
        assert.deepEqual([fake.requests.count("create"), fake.requests.failures("create")], [3, 2]);
    });

    it("server-error: the chosen 5xx, nothing created", async () => {
        fake.faults.inject("create", { kind: "server-error", status: 503 });
        const res = await create();
        assert.equal(res.status, 503);
        assert.ok(Array.isArray(res.body.errors));
        assert.equal(fake.register.all().length, 0);
    });

    it(
        "hang: no answer before the caller's timeout, nothing created, stop() still " + "closes",
        async () => {
            fake.faults.inject("create", { kind: "hang" });
            await assert.rejects(create("kw-1", 150), isTimeout);
            assert.equal(fake.register.all().length, 0);
            assert.equal(fake.requests.count("create"), 1);
        },
    );

    it("malformed-body: the key is created but the JSON is cut off", async () => {
        fake.faults.inject("create", { kind: "malformed-body" });
        const res = await create();
        assert.equal(res.status, 201);
        assert.equal(res.body, undefined);
        assert.throws(() => JSON.parse(res.text));
        assert.equal(fake.register.existingCount(), 1, "the provider acted");
    });

    it("missing-key: success status, the body intact except the key", async () => {
        fake.faults.inject("create", { kind: "missing-key" });
        const res = await create("kw-2");
        assert.equal(res.status, 201);
        assert.equal(res.body.api_key, undefined);
        assert.equal(res.body.name, "kw-2");
        assert.equal(fake.register.find(res.body.api_key_id)?.name, "kw-2");
    });

    it("orphan: the key exists at the provider while the caller sees a 502", async () => {
        fake.faults.inject("create", { kind: "orphan" });
        const res = await create("kw-orphan");
        assert.equal(res.status, 502);
        assert.ok(!res.text.includes("SG."), "the error carries no key");
        const [orphan] = fake.register.existing();
        assert.equal(orphan.name, "kw-orphan");
        assert.equal(fake.requests.failures("create"), 1);
    });

    it("orphan with a reset connection: the caller gets a network error", async () => {
        fake.faults.inject("create", { kind: "orphan", after: "reset" });
        await assert.rejects(create("kw-reset"), TypeError);
        assert.equal(fake.register.existingCount(), 1);
    });

    it("orphan with no answer: the caller times out, the key exists", async () => {
        fake.faults.inject("create", { kind: "orphan", after: "hang" });
        await assert.rejects(create("kw-hang", 150), isTimeout);
        assert.equal(fake.register.existingCount(), 1);
    });

    it("faults apply per operation: a fault on verify leaves create alone", async () => {
        fake.faults.inject("verify", { kind: "server-error" });
        assert.equal((await create()).status, 201);
        const key = fake.register.existing()[0];
        const verify = () => call(fake.baseUrl, "GET", "/v3/scopes", { bearer: key.secret });
        assert.deepEqual([(await verify()).status, (await verify()).status], [500, 200]);
        assert.equal(fake.faults.pending(), 0);
    });
});
