import { strict as assert } from "node:assert";
import { call, type CallOptions } from "../../standins/providers/http-client";
import { startFakeDatadog, type FakeDatadog } from "../../standins/providers/datadog";

describe("fake Datadog API keys", () => {
    let fake: FakeDatadog;
    const api = (method: string, path: string, options?: CallOptions) =>
        call(fake.baseUrl, method, path, options);
    const adminHeaders = (api = fake.admin.apiKey, app = fake.admin.applicationKey) => ({
        "DD-API-KEY": api,
        "DD-APPLICATION-KEY": app,
    });
    const create = (json: unknown, headers: Record<string, string> = adminHeaders()) =>
        api("POST", "/api/v2/api_keys", { headers, json });
    const createBody = (name: string) => ({ data: { type: "api_keys", attributes: { name } } });
    const asKey = (key: string) => ({ headers: { "DD-API-KEY": key } });

    beforeEach(async () => (fake = await startFakeDatadog()));
    afterEach(() => fake.stop());

    it("creates a key with the JSON:API 201 shape", async () => {
        const res = await create(createBody("kw-1"));
        assert.equal(res.status, 201);
        const { id, type, attributes } = res.body.data;
        assert.equal(type, "api_keys");
        assert.match(attributes.key, /^[0-9a-f]{32}$/);
        assert.equal(attributes.last4, attributes.key.slice(-4));
        assert.equal(attributes.name, "kw-1");
        assert.ok(!Number.isNaN(Date.parse(attributes.created_at)));
        assert.equal(fake.register.find(id)?.secret, attributes.key);
    });

    it("validates a key with DD-API-KEY alone, and 403s once it is revoked", async () => {
        const key = fake.seedKey();
        const ok = await api("GET", "/api/v1/validate", asKey(key.secret));
        assert.deepEqual([ok.status, ok.body], [200, { valid: true }]);
        const del = await api("DELETE", `/api/v2/api_keys/${key.id}`, { headers: adminHeaders() });
        assert.equal(del.status, 204);
        const after = await api("GET", "/api/v1/validate", asKey(key.secret));
        assert.deepEqual([after.status, after.body], [403, { errors: ["Forbidden"] }]);
        const series = await api("POST", "/api/v2/series", {
            ...asKey(key.secret),
            json: { series: [] },
        });
        assert.equal(series.status, 403);
    });

    it("accepts metrics from a working key with 202", async () => {
        const key = fake.seedKey();
        const res = await api("POST", "/api/v2/series", {
            ...asKey(key.secret),
            json: { series: [{ metric: "bot.up", points: [] }] },
        });
        assert.deepEqual([res.status, res.body], [202, { errors: [] }]);
    });

    it("lists keys without the key, but returns it on GET by ID", async () => {
        const key = fake.seedKey("bot");
        const list = await api("GET", "/api/v2/api_keys", { headers: adminHeaders() });
        assert.equal(list.body.data[0].attributes.key, undefined);
        assert.equal(list.body.data[0].attributes.name, "bot");
        const one = await api("GET", `/api/v2/api_keys/${key.id}`, { headers: adminHeaders() });
        assert.equal(one.body.data.attributes.key, key.secret);
    });

    it("needs both admin headers: a missing or wrong one gets 403", async () => {
        const statuses = [
            (await create(createBody("x"), { "DD-API-KEY": fake.admin.apiKey })).status,
            (await create(createBody("x"), adminHeaders(undefined, "wrong"))).status,
            (await create(createBody("x"), adminHeaders("wrong"))).status,
        ];
        assert.deepEqual(statuses, [403, 403, 403]);
        assert.equal(fake.register.all().length, 0);
    });

    it("rejects a body that is not JSON:API, naming what is expected", async () => {
        const flat = await create({ name: "x" });
        assert.equal(flat.status, 400);
        assert.match(flat.body.errors[0], /Unknown field\(s\) `name`/);
        const wrongType = await create({
            data: { type: "application_keys", attributes: { name: "x" } },
        });
        assert.match(wrongType.body.errors[0], /"type": "api_keys"/);
        const noName = await create({ data: { type: "api_keys", attributes: {} } });
        assert.match(noName.body.errors[0], /`name` is required/);
        assert.equal(fake.register.all().length, 0);
    });
});
