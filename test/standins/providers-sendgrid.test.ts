import { strict as assert } from "node:assert";
import { call, type CallOptions } from "../../standins/providers/http-client";
import { startFakeSendGrid, type FakeSendGrid } from "../../standins/providers/sendgrid";

describe("fake SendGrid", () => {
    let fake: FakeSendGrid;
    const api = (method: string, path: string, options?: CallOptions) =>
        call(fake.baseUrl, method, path, options);
    const admin = () => ({ bearer: fake.admin.apiKey });
    const create = (json: unknown, auth: CallOptions = admin()) =>
        api("POST", "/v3/api_keys", { ...auth, json });
    const mail = {
        personalizations: [{ to: [{ email: "ops@example.com" }] }],
        from: { email: "bot@example.com" },
        subject: "s",
        content: [{ type: "text/plain", value: "v" }],
    };
    const send = (bearer: string) => api("POST", "/v3/mail/send", { bearer, json: mail });

    beforeEach(async () => (fake = await startFakeSendGrid()));
    afterEach(() => fake.stop());

    it("creates a key with the documented 201 shape and records it in the register", async () => {
        const res = await create({ name: "kw-bot-1", scopes: ["mail.send"] });
        assert.equal(res.status, 201);
        assert.deepEqual(Object.keys(res.body).sort(), ["api_key", "api_key_id", "name", "scopes"]);
        assert.match(res.body.api_key, /^SG\.[\w-]{22}\.[\w-]{43}$/);
        assert.equal(res.body.api_key.split(".")[1], res.body.api_key_id);
        assert.deepEqual(res.body.scopes, ["mail.send"]);
        const key = fake.register.find(res.body.api_key_id);
        assert.equal(key?.secret, res.body.api_key);
        assert.equal(key?.name, "kw-bot-1");
        assert.equal(fake.requests.count("create"), 1);
    });

    it("lists names and IDs only, never the key", async () => {
        const seeded = fake.seedKey("current");
        const res = await api("GET", "/v3/api_keys", admin());
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { result: [{ name: "current", api_key_id: seeded.id }] });
        assert.ok(!res.text.includes(seeded.secret));
    });

    it("revokes by ID with 204; the revoked key then fails verify and use with 401", async () => {
        const key = fake.seedKey();
        const before = await api("GET", "/v3/scopes", { bearer: key.secret });
        assert.deepEqual([before.status, before.body], [200, { scopes: ["mail.send"] }]);
        const del = await api("DELETE", `/v3/api_keys/${key.id}`, admin());
        assert.deepEqual([del.status, del.text], [204, ""]);
        const verify = await api("GET", "/v3/scopes", { bearer: key.secret });
        assert.equal(verify.status, 401);
        assert.deepEqual(verify.body, {
            errors: [{ field: null, message: "authorization required" }],
        });
        assert.equal((await send(key.secret)).status, 401);
        assert.deepEqual([fake.requests.count("use"), fake.requests.failures("use")], [1, 1]);
        const again = await api("DELETE", `/v3/api_keys/${key.id}`, admin());
        assert.equal(again.status, 404);
    });

    it("accepts mail from a key with mail.send (202) and refuses one without (403)", async () => {
        const sender = fake.seedKey("sender");
        const reader = fake.seedKey("reader", ["scopes.read"]);
        assert.equal((await send(sender.secret)).status, 202);
        assert.equal((await send(reader.secret)).status, 403);
    });

    it("answers 401 to an unknown admin key and 403 to a bot key used as admin", async () => {
        const bot = fake.seedKey();
        const json = { name: "x" };
        const statuses = [
            (await create(json, {})).status,
            (await create(json, { bearer: "SG.x.y" })).status,
            (await create(json, { basic: { user: "apikey", password: fake.admin.apiKey } })).status,
            (await create(json, { bearer: bot.secret })).status,
        ];
        assert.deepEqual(statuses, [401, 401, 401, 403]);
        assert.equal(fake.register.existingCount(), 1, "nothing was created");
    });

    it("rejects a wrong content type (415), a missing name, an unknown field (400)", async () => {
        const headers = { "Content-Type": "application/x-www-form-urlencoded" };
        const raw = await api("POST", "/v3/api_keys", { ...admin(), rawBody: "name=x", headers });
        assert.equal(raw.status, 415);
        const noName = await create({});
        assert.equal(noName.status, 400);
        assert.match(noName.body.errors[0].message, /`name` is required/);
        const typo = await create({ name: "x", scope: ["mail.send"] });
        assert.equal(typo.status, 400);
        assert.equal(
            typo.body.errors[0].message,
            "Unknown field(s) `scope`; accepted fields: name, scopes.",
        );
        assert.equal(fake.register.all().length, 0);
    });

    it("answers 405 to a wrong method, 404 to an unknown path, 400 to a bad escape", async () => {
        const put = await api("PUT", "/v3/api_keys", admin());
        const nowhere = await api("GET", "/v3/api_key", admin());
        const garbled = await api("DELETE", "/v3/api_keys/%E0%A4%A", admin());
        assert.deepEqual([put.status, nowhere.status, garbled.status], [405, 404, 400]);
        assert.equal(fake.requests.count("unmatched"), 2);
    });

    it("refuses a key past the account limit with 403, the admin key counting", async () => {
        await fake.stop();
        fake = await startFakeSendGrid({ keyLimit: 3 });
        fake.seedKey("a");
        assert.equal((await create({ name: "b" })).status, 201);
        const third = await create({ name: "c" });
        assert.equal(third.status, 403);
        assert.match(third.body.errors[0].message, /Cannot create more than 3 API keys/);
        assert.equal(fake.register.existingCount(), 2);
    });
});
