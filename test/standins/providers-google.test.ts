import { strict as assert } from "node:assert";
import { call, type CallOptions } from "../../standins/providers/http-client";
import {
    startFakeGoogleApiKeys,
    type FakeGoogleApiKeys,
} from "../../standins/providers/google-api-keys";

describe("fake Google API Keys API v2 and Gemini", () => {
    let fake: FakeGoogleApiKeys;
    const number = "123456789012";
    const api = (method: string, path: string, options?: CallOptions) =>
        call(fake.baseUrl, method, path, options);
    const auth = () => ({ bearer: fake.admin.accessToken });
    const keys = "/v2/projects/bots-dev/locations/global/keys";
    const geminiKey = {
        displayName: "weather bot",
        restrictions: { apiTargets: [{ service: "generativelanguage.googleapis.com" }] },
        annotations: { "keywarden.dev/managed": "true", "keywarden.dev/attempt": "a1" },
        serviceAccountEmail: "bot@bots-dev.iam.gserviceaccount.com",
    };
    const generate = (key: string) =>
        api("POST", "/v1beta/models/gemini-2.5-flash:generateContent", {
            headers: { "x-goog-api-key": key },
            json: { contents: [{ parts: [{ text: "hi" }] }] },
        });

    beforeEach(async () => {
        fake = await startFakeGoogleApiKeys({ projectNumber: number, pollsUntilDone: 2 });
    });
    afterEach(() => fake.stop());

    it("creates a key as a long-running operation, done after the configured polls", async () => {
        const op = await api("POST", `${keys}?keyId=kw-weather-1`, { ...auth(), json: geminiKey });
        assert.equal(op.status, 200);
        assert.match(op.body.name, /^operations\/akmf\.p7-123456789012-/);
        assert.deepEqual([op.body.done, op.body.response], [false, undefined]);
        const poll = () => api("GET", `/v2/${op.body.name}`, auth());
        assert.equal((await poll()).body.done, false);
        const done = await poll();
        assert.equal(done.body.done, true);
        const key = done.body.response;
        assert.equal(key["@type"], "type.googleapis.com/google.api.apikeys.v2.Key");
        assert.equal(key.name, `projects/${number}/locations/global/keys/kw-weather-1`);
        assert.match(key.keyString, /^AIza[\w-]{35}$/);
        assert.deepEqual(key.annotations, geminiKey.annotations);
        assert.deepEqual(key.restrictions, geminiKey.restrictions);
        assert.equal(key.serviceAccountEmail, geminiKey.serviceAccountEmail);
        assert.equal(fake.requests.count("poll"), 2);
        const again = await api("GET", `/v2/${key.name}/keyString`, auth());
        assert.deepEqual(again.body, { keyString: key.keyString });
        const lookup = await api("GET", `/v2/keys:lookupKey?keyString=${key.keyString}`, auth());
        const parent = `projects/${number}/locations/global`;
        assert.deepEqual(lookup.body, { parent, name: key.name });
    });

    it("applies the create at once, so a caller that never polls leaves the key", async () => {
        await api("POST", `${keys}?keyId=kw-orphan`, { ...auth(), json: geminiKey });
        assert.equal(fake.register.existingCount(), 1);
        assert.equal(fake.requests.count("poll"), 0);
    });

    it("serves Gemini only to keys bound to a service account and restricted to it", async () => {
        const good = fake.seedKey(geminiKey);
        const unbound = fake.seedKey({ restrictions: geminiKey.restrictions });
        const unrestricted = fake.seedKey({ serviceAccountEmail: geminiKey.serviceAccountEmail });
        assert.equal((await generate(good.secret)).status, 200);
        const noSa = await generate(unbound.secret);
        assert.equal(noSa.status, 403);
        assert.match(noSa.body.error.message, /bound to a service account/);
        const blocked = await generate(unrestricted.secret);
        assert.equal(blocked.status, 403);
        assert.equal(blocked.body.error.details[0].reason, "API_KEY_SERVICE_BLOCKED");
        const invalid = await generate("AIza-not-a-key");
        assert.deepEqual([invalid.status, invalid.body.error.status], [400, "INVALID_ARGUMENT"]);
        assert.equal(invalid.body.error.details[0].reason, "API_KEY_INVALID");
        assert.equal((await api("GET", `/v1beta/models?key=${good.secret}`)).status, 200);
        assert.deepEqual([fake.requests.count("use"), fake.requests.failures("use")], [4, 3]);
    });

    it(
        "soft-deletes through an operation: the key stops working, listed only with " +
            "showDeleted",
        async () => {
            const key = fake.seedKey({ ...geminiKey, keyId: "kw-old" });
            const del = await api("DELETE", `/v2/${key.id}`, auth());
            assert.equal(del.status, 200);
            assert.match(del.body.name, /^operations\//);
            assert.equal((await generate(key.secret)).status, 400);
            const list = await api("GET", keys, auth());
            assert.deepEqual(list.body, {}, "Google omits an empty list");
            const withDeleted = await api("GET", `${keys}?showDeleted=true`, auth());
            assert.equal(withDeleted.body.keys.length, 1);
            assert.ok(withDeleted.body.keys[0].deleteTime);
            assert.equal(withDeleted.body.keys[0].keyString, undefined, "lists carry no key");
            const reuse = await api("POST", `${keys}?keyId=kw-old`, { ...auth(), json: {} });
            assert.deepEqual([reuse.status, reuse.body.error.status], [409, "ALREADY_EXISTS"]);
            assert.equal((await api("DELETE", `/v2/${key.id}`, auth())).status, 404);
        },
    );

    it("checks the bearer token and the project", async () => {
        const none = await api("GET", keys);
        const wrong = await api("GET", keys, { bearer: "ya29.other" });
        assert.deepEqual([none.status, wrong.status], [401, 401]);
        assert.equal(wrong.body.error.status, "UNAUTHENTICATED");
        const other = await api("GET", "/v2/projects/elsewhere/locations/global/keys", auth());
        assert.deepEqual([other.status, other.body.error.status], [403, "PERMISSION_DENIED"]);
        const byNumber = await api("GET", `/v2/projects/${number}/locations/global/keys`, auth());
        assert.equal(byNumber.status, 200);
    });

    it("rejects unknown fields as Google does, a bad keyId and a non-global location", async () => {
        const typo = await api("POST", keys, {
            ...auth(),
            json: { displayName: "x", serviceAccount: "bot@x.iam.gserviceaccount.com" },
        });
        assert.equal(typo.status, 400);
        assert.equal(
            typo.body.error.message,
            "Invalid JSON payload received. " +
                "Unknown name \"serviceAccount\" at 'key': Cannot find field.",
        );
        const nested = await api("POST", keys, {
            ...auth(),
            json: { restrictions: { apiTarget: [] } },
        });
        assert.match(nested.body.error.message, /Unknown name "apiTarget" at 'key.restrictions'/);
        const badId = await api("POST", `${keys}?keyId=Bad_ID`, { ...auth(), json: {} });
        assert.match(badId.body.error.message, /`keyId` must match/);
        const regional = await api("POST", "/v2/projects/bots-dev/locations/us/keys", {
            ...auth(),
            json: {},
        });
        assert.equal(regional.status, 400);
        assert.equal(fake.register.all().length, 0);
    });

    it("answers 404 for an unknown operation, key or key string", async () => {
        const statuses = [
            (await api("GET", "/v2/operations/akmf.p7-1-none", auth())).status,
            (await api("GET", `${keys}/nope`, auth())).status,
            (await api("GET", "/v2/keys:lookupKey?keyString=AIzaNope", auth())).status,
        ];
        assert.deepEqual(statuses, [404, 404, 404]);
    });
});
