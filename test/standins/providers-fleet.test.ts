import { strict as assert } from "node:assert";
import { call, type CallResult } from "../../standins/providers/http-client";
import { startFakeFleet, type FakeFleet } from "../../standins/providers/fleet";
import type { IssuedKey } from "../../standins/providers/register";
import type { FakeBase } from "../../standins/providers/server";

/** How a bot uses one provider, and what that provider's error bodies look like. */
interface Case {
    name: keyof Omit<FakeFleet, "stop">;
    seed(fleet: FakeFleet): IssuedKey;
    use(fleet: FakeFleet, key: IssuedKey): Promise<CallResult>;
    /** Passes when `body` is an error in this provider's shape. */
    isError(body: any): boolean;
}

const chat = { model: "m", messages: [{ role: "user", content: "hi" }] };
const cases: Case[] = [
    {
        name: "sendgrid",
        seed: (f) => f.sendgrid.seedKey(),
        use: (f, k) =>
            call(f.sendgrid.baseUrl, "POST", "/v3/mail/send", {
                bearer: k.secret,
                json: {
                    personalizations: [{ to: [{ email: "a@b.c" }] }],
                    from: { email: "b@b.c" },
                },
            }),
        isError: (b) => typeof b.errors[0].message === "string",
    },
    {
        name: "cloudflare",
        seed: (f) => f.cloudflare.seedKey(),
        use: (f, k) => call(f.cloudflare.baseUrl, "GET", "/client/v4/zones", { bearer: k.secret }),
        isError: (b) => b.success === false && typeof b.errors[0].code === "number",
    },
    {
        name: "twilio",
        seed: (f) => f.twilio.seedKey(),
        use: (f, k) =>
            call(
                f.twilio.baseUrl,
                "POST",
                `/2010-04-01/Accounts/${f.twilio.admin.accountSid}/Messages.json`,
                {
                    basic: { user: k.id, password: k.secret },
                    form: { To: "+15005550006", From: "+15005550001", Body: "hi" },
                },
            ),
        isError: (b) => typeof b.code === "number" && typeof b.more_info === "string",
    },
    {
        name: "datadog",
        seed: (f) => f.datadog.seedKey(),
        use: (f, k) =>
            call(f.datadog.baseUrl, "POST", "/api/v2/series", {
                headers: { "DD-API-KEY": k.secret },
                json: { series: [] },
            }),
        isError: (b) => typeof b.errors[0] === "string",
    },
    {
        name: "openai",
        seed: (f) => f.openai.seedKey(),
        use: (f, k) =>
            call(f.openai.baseUrl, "POST", "/v1/chat/completions", {
                bearer: k.secret,
                json: chat,
            }),
        isError: (b) => typeof b.error.message === "string" && "param" in b.error,
    },
    {
        name: "openrouter",
        seed: (f) => f.openrouter.seedKey(),
        use: (f, k) =>
            call(f.openrouter.baseUrl, "POST", "/api/v1/chat/completions", {
                bearer: k.secret,
                json: chat,
            }),
        isError: (b) => typeof b.error.code === "number" && typeof b.error.message === "string",
    },
    {
        name: "google",
        seed: (f) =>
            f.google.seedKey({
                serviceAccountEmail: "bot@p.iam.gserviceaccount.com",
                restrictions: { apiTargets: [{ service: "generativelanguage.googleapis.com" }] },
            }),
        use: (f, k) =>
            call(f.google.baseUrl, "POST", "/v1beta/models/g:generateContent", {
                headers: { "x-goog-api-key": k.secret },
                json: { contents: [{ parts: [] }] },
            }),
        isError: (b) => typeof b.error.code === "number" && typeof b.error.status === "string",
    },
    {
        name: "slack",
        seed: (f) => f.slack.seedGrant().accessToken,
        use: (f, k) =>
            call(f.slack.baseUrl, "POST", "/api/chat.postMessage", {
                bearer: k.secret,
                json: { channel: "C1", text: "hi" },
            }),
        isError: (b) => b.ok === false && typeof b.error === "string",
    },
    {
        name: "telegram",
        seed: (f) => f.telegram.seedKey(),
        use: (f, k) =>
            call(f.telegram.baseUrl, "POST", `/bot${k.secret}/sendMessage`, {
                json: { chat_id: 1, text: "hi" },
            }),
        isError: (b) => b.ok === false && typeof b.error_code === "number",
    },
    {
        name: "botBackend",
        seed: (f) => f.botBackend.seedKey(),
        use: (f, k) => call(f.botBackend.baseUrl, "GET", "/v1/data", { bearer: k.secret }),
        isError: (b) => typeof b.error.code === "string",
    },
];

/** The key material (Telegram's key ID is part of its token, so test the part after it). */
const k = (key: IssuedKey) => key.secret.slice(key.secret.indexOf(":") + 1);

/** Slack reports failures with HTTP 200 and `ok: false`. */
const failed = (res: CallResult) => res.status >= 400 || res.body?.ok === false;

describe("fake providers: every fake, the same guarantees", () => {
    let fleet: FakeFleet;

    before(async () => (fleet = await startFakeFleet()));
    after(() => fleet.stop());

    for (const c of cases) {
        it(
            `${c.name}: a bot's use call works with a valid key, fails once it is ` + `revoked`,
            async () => {
                const fake: FakeBase = fleet[c.name];
                fake.requests.reset();
                const key = c.seed(fleet);
                const ok = await c.use(fleet, key);
                assert.ok(!failed(ok), `expected success, got ${ok.status}`);
                fake.register.revoke(key.id);
                const denied = await c.use(fleet, key);
                assert.ok(failed(denied), `expected a failure, got ${denied.status}`);
                assert.ok(c.isError(denied.body), `not ${c.name}'s error shape`);
                assert.ok(!denied.text.includes(k(key)), "the error never repeats the key");
                const counts = [fake.requests.count("use"), fake.requests.failures("use")];
                assert.deepEqual(counts, [2, 1]);
            },
        );

        it(`${c.name}: injected 429 and 5xx come in the provider's own error shape`, async () => {
            const fake: FakeBase = fleet[c.name];
            const key = c.seed(fleet);
            fake.faults.inject("use", { kind: "rate-limit", retryAfterSeconds: 2 });
            fake.faults.inject("use", { kind: "server-error", status: 503 });
            const limited = await c.use(fleet, key);
            assert.deepEqual([limited.status, limited.headers.get("retry-after")], [429, "2"]);
            assert.ok(c.isError(limited.body), `not ${c.name}'s error shape`);
            const unavailable = await c.use(fleet, key);
            assert.equal(unavailable.status, 503);
            assert.ok(c.isError(unavailable.body));
            const after = await c.use(fleet, key);
            assert.ok(!failed(after), "served normally once the faults are spent");
        });
    }
});
