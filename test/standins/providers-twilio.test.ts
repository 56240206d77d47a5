import { strict as assert } from "node:assert";
import { call, type CallOptions } from "../../standins/providers/http-client";
import type { IssuedKey } from "../../standins/providers/register";
import { startFakeTwilio, type FakeTwilio } from "../../standins/providers/twilio";

describe("fake Twilio API keys (IAM v1 and the 2010-04-01 API on one server)", () => {
    let fake: FakeTwilio;
    const api = (method: string, path: string, options?: CallOptions) =>
        call(fake.baseUrl, method, path, options);
    const admin = () => ({
        basic: { user: fake.admin.accountSid, password: fake.admin.authToken },
    });
    const asKey = (key: IssuedKey) => ({ basic: { user: key.id, password: key.secret } });
    const account = () => `/2010-04-01/Accounts/${fake.admin.accountSid}`;
    const verify = (auth: CallOptions) =>
        api("GET", `${account()}/IncomingPhoneNumbers.json?PageSize=1`, auth);
    const sms = (auth: CallOptions) =>
        api("POST", `${account()}/Messages.json`, {
            ...auth,
            form: { To: "+15005550006", From: "+15005550001", Body: "hi" },
        });
    const createKey = (form: Record<string, string>, auth: CallOptions = admin()) =>
        api("POST", "/v1/Keys", { ...auth, form });

    beforeEach(async () => (fake = await startFakeTwilio()));
    afterEach(() => fake.stop());

    it("creates a key from a form with Basic AccountSid:AuthToken, the secret once", async () => {
        const res = await createKey({ AccountSid: fake.admin.accountSid, FriendlyName: "kw-1" });
        assert.equal(res.status, 201);
        assert.match(res.body.sid, /^SK[0-9a-f]{32}$/);
        assert.equal(res.body.friendly_name, "kw-1");
        assert.match(res.body.date_created, /^\w{3}, \d{2} \w{3} \d{4} [\d:]{8} \+0000$/);
        assert.equal(res.body.policy, null);
        assert.equal(fake.register.find(res.body.sid)?.secret, res.body.secret);
        const got = await api("GET", `/v1/Keys/${res.body.sid}`, admin());
        assert.equal(got.body.secret, undefined, "a fetch never shows the secret");
    });

    it("verifies with Basic SK:secret on IncomingPhoneNumbers, and 401s after revoke", async () => {
        const key = fake.seedKey();
        const ok = await verify(asKey(key));
        assert.equal(ok.status, 200);
        assert.deepEqual([ok.body.incoming_phone_numbers, ok.body.page_size], [[], 1]);
        assert.equal((await api("DELETE", `/v1/Keys/${key.id}`, admin())).status, 204);
        const after = await verify(asKey(key));
        assert.equal(after.status, 401);
        assert.deepEqual(after.body, {
            code: 20003,
            message: "Authenticate",
            more_info: "https://www.twilio.com/docs/errors/20003",
            status: 401,
        });
        assert.equal((await sms(asKey(key))).status, 401);
    });

    it("gives a standard key 401 on /Accounts/{sid}.json, so that is no verify call", async () => {
        const key = fake.seedKey();
        const asStandardKey = await api("GET", `${account()}.json`, asKey(key));
        const asAccount = await api("GET", `${account()}.json`, admin());
        assert.deepEqual([asStandardKey.status, asAccount.status], [401, 200]);
    });

    it("sends a message with a working key (201) and lists keys without secrets", async () => {
        const key = fake.seedKey("bot");
        const sent = await sms(asKey(key));
        assert.equal(sent.status, 201);
        assert.match(sent.body.sid, /^SM/);
        const list = await api("GET", `/v1/Keys?AccountSid=${fake.admin.accountSid}`, admin());
        assert.deepEqual(
            list.body.keys.map((k: { sid: string }) => k.sid),
            [key.id],
        );
        assert.equal(list.body.meta.key, "keys");
        assert.ok(!list.text.includes(key.secret));
    });

    it("rejects JSON bodies, long names, unknown parameters and foreign accounts", async () => {
        const sid = fake.admin.accountSid;
        const json = await api("POST", "/v1/Keys", { ...admin(), json: { AccountSid: sid } });
        assert.equal(json.status, 415);
        const long = await createKey({ AccountSid: sid, FriendlyName: "x".repeat(65) });
        assert.equal(long.status, 400);
        assert.equal(long.body.message, "FriendlyName must be at most 64 characters.");
        const typo = await createKey({ AccountSid: sid, Name: "x" });
        assert.match(typo.body.message, /Unknown parameter\(s\) Name/);
        const missing = await createKey({ FriendlyName: "x" });
        assert.match(missing.body.message, /Required parameter AccountSid missing/);
        const foreign = await createKey({ AccountSid: `AC${"0".repeat(32)}` });
        assert.equal(foreign.status, 403);
        assert.equal(fake.register.all().length, 0);
    });

    it("refuses a wrong auth token, Bearer auth and an API key on IAM with 401", async () => {
        const key = fake.seedKey();
        const form = { AccountSid: fake.admin.accountSid };
        const statuses = [
            (await createKey(form, { basic: { user: form.AccountSid, password: "x" } })).status,
            (await createKey(form, { bearer: fake.admin.authToken })).status,
            (await createKey(form, asKey(key))).status,
        ];
        assert.deepEqual(statuses, [401, 401, 401]);
        assert.equal(fake.register.all().length, 1);
    });

    it("creates a restricted key only with a JSON Policy", async () => {
        const restricted = { AccountSid: fake.admin.accountSid, KeyType: "restricted" };
        assert.equal((await createKey(restricted)).status, 400);
        const policy = { allow: ["/twilio/messaging/messages/create"] };
        const ok = await createKey({ ...restricted, Policy: JSON.stringify(policy) });
        assert.equal(ok.status, 201);
        assert.deepEqual(ok.body.policy, policy);
    });
});
