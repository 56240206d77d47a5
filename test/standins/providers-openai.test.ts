import { strict as assert } from "node:assert";
import { call, type CallOptions } from "../../standins/providers/http-client";
import { startFakeOpenAI, type FakeOpenAI } from "../../standins/providers/openai";

describe("fake OpenAI project service accounts", () => {
    let fake: FakeOpenAI;
    const api = (method: string, path: string, options?: CallOptions) =>
        call(fake.baseUrl, method, path, options);
    const admin = () => ({ bearer: fake.admin.adminKey });
    const accounts = () => `/v1/organization/projects/${fake.admin.projectId}/service_accounts`;
    const chat = (bearer: string) =>
        api("POST", "/v1/chat/completions", {
            bearer,
            json: { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
        });

    beforeEach(async () => (fake = await startFakeOpenAI()));
    afterEach(() => fake.stop());

    it("creates a service account that comes with its key", async () => {
        const res = await api("POST", accounts(), { ...admin(), json: { name: "kw-bot-1" } });
        assert.equal(res.status, 200);
        assert.equal(res.body.object, "organization.project.service_account");
        assert.match(res.body.id, /^svc_acct_/);
        assert.equal(res.body.name, "kw-bot-1");
        assert.equal(typeof res.body.created_at, "number");
        assert.match(res.body.api_key.value, /^sk-svcacct-/);
        assert.match(res.body.api_key.id, /^key_/);
        const key = fake.register.find(res.body.id);
        assert.equal(key?.secret, res.body.api_key.value, "the register tracks the account ID");
        assert.equal(key?.attributes.keyId, res.body.api_key.id);
    });

    it("deleting the service account kills its key for /v1/models and chat", async () => {
        const account = fake.seedKey();
        const models = await api("GET", "/v1/models", { bearer: account.secret });
        assert.deepEqual([models.status, models.body.object], [200, "list"]);
        const del = await api("DELETE", `${accounts()}/${account.id}`, admin());
        assert.deepEqual(del.body, {
            object: "organization.project.service_account.deleted",
            id: account.id,
            deleted: true,
        });
        const after = await api("GET", "/v1/models", { bearer: account.secret });
        assert.equal(after.status, 401);
        assert.equal(after.body.error.code, "invalid_api_key");
        assert.equal((await chat(account.secret)).status, 401);
        assert.deepEqual([fake.requests.count("use"), fake.requests.failures("use")], [1, 1]);
    });

    it("answers chat completions for a working key", async () => {
        const res = await chat(fake.seedKey().secret);
        assert.equal(res.status, 200);
        assert.equal(res.body.object, "chat.completion");
        assert.equal(res.body.choices[0].message.role, "assistant");
    });

    it("lists service accounts without keys", async () => {
        const account = fake.seedKey("bot");
        const res = await api("GET", accounts(), admin());
        assert.equal(res.body.object, "list");
        assert.deepEqual(
            res.body.data.map((a: { id: string }) => a.id),
            [account.id],
        );
        assert.ok(!res.text.includes(account.secret));
    });

    it(
        "refuses a project key as admin (403), an unknown key (401), another project " + "(404)",
        async () => {
            const account = fake.seedKey();
            const json = { name: "x" };
            const other = "/v1/organization/projects/proj_other/service_accounts";
            const asProjectKey = await api("POST", accounts(), { bearer: account.secret, json });
            const statuses = [
                asProjectKey.status,
                (await api("POST", accounts(), { bearer: "sk-admin-nope", json })).status,
                (await api("POST", accounts(), { json })).status,
                (await api("POST", other, { ...admin(), json })).status,
            ];
            assert.deepEqual(statuses, [403, 401, 401, 404]);
            assert.equal(asProjectKey.body.error.type, "invalid_request_error");
            assert.equal(fake.register.all().length, 1);
        },
    );

    it("rejects a misspelt field, a missing name and a non-JSON body", async () => {
        const typo = await api("POST", accounts(), { ...admin(), json: { nam: "x" } });
        assert.equal(typo.status, 400);
        assert.match(typo.body.error.message, /Unknown field\(s\) `nam`/);
        const empty = await api("POST", accounts(), { ...admin(), json: {} });
        assert.match(empty.body.error.message, /`name` is required/);
        const text = await api("POST", accounts(), {
            ...admin(),
            rawBody: '{"name":"x"}',
            headers: { "Content-Type": "text/plain" },
        });
        assert.equal(text.status, 415);
        assert.equal(fake.register.all().length, 0);
    });
});
