import { strict as assert } from "node:assert";
import { call, type CallOptions } from "../../standins/providers/http-client";
import { startFakeTelegram, type FakeTelegram } from "../../standins/providers/telegram";

describe("fake Telegram Bot API (reminder-only keys)", () => {
    let fake: FakeTelegram;
    const api = (method: string, path: string, options?: CallOptions) =>
        call(fake.baseUrl, method, path, options);

    beforeEach(async () => (fake = await startFakeTelegram()));
    afterEach(() => fake.stop());

    it("answers getMe for a working token with the bot's identity", async () => {
        const bot = fake.seedKey("weather_bot");
        const res = await api("GET", `/bot${bot.secret}/getMe`);
        assert.equal(res.status, 200);
        assert.equal(res.body.ok, true);
        const { id, is_bot, username } = res.body.result;
        assert.deepEqual([id, is_bot, username], [Number(bot.id), true, "weather_bot"]);
        assert.match(bot.secret, /^\d{10}:AA[\w-]{33}$/);
    });

    it("kills the old token at once when BotFather revokes it; the bot ID stays", async () => {
        const bot = fake.seedKey();
        const fresh = fake.revokeViaBotFather(bot.id);
        assert.equal(fresh.id, bot.id);
        const old = await api("GET", `/bot${bot.secret}/getMe`);
        assert.equal(old.status, 401);
        assert.deepEqual(old.body, { ok: false, error_code: 401, description: "Unauthorized" });
        assert.equal((await api("POST", `/bot${fresh.secret}/getMe`)).status, 200);
        assert.throws(() => fake.revokeViaBotFather("42"), /no live bot with ID 42/);
    });

    it("sends a message from query, form or JSON parameters", async () => {
        const bot = fake.seedKey();
        const path = `/bot${bot.secret}/sendMessage`;
        const viaQuery = await api("GET", `${path}?chat_id=42&text=hi`);
        const viaForm = await api("POST", path, { form: { chat_id: "42", text: "hi" } });
        const viaJson = await api("POST", path, { json: { chat_id: 42, text: "hi" } });
        assert.deepEqual([viaQuery.status, viaForm.status, viaJson.status], [200, 200, 200]);
        assert.equal(viaJson.body.result.text, "hi");
        const empty = await api("POST", path, { json: { chat_id: 42 } });
        assert.equal(empty.status, 400);
        assert.equal(empty.body.description, "Bad Request: message text is empty");
        assert.deepEqual([fake.requests.count("use"), fake.requests.failures("use")], [4, 1]);
    });

    it("answers 404 to a token that is not shaped like one and to an unknown method", async () => {
        const bot = fake.seedKey();
        const malformed = await api("GET", "/botnot-a-token/getMe");
        const unknown = await api("GET", `/bot${bot.secret}/getUpdatez`);
        assert.deepEqual([malformed.status, unknown.status], [404, 404]);
        assert.equal(unknown.body.description, "Not Found");
    });

    it("rate-limits with Telegram's retry_after parameter", async () => {
        const bot = fake.seedKey();
        fake.faults.inject("verify", { kind: "rate-limit", retryAfterSeconds: 9 });
        const res = await api("GET", `/bot${bot.secret}/getMe`);
        assert.equal(res.status, 429);
        assert.deepEqual(res.body.parameters, { retry_after: 9 });
        assert.equal(res.body.description, "Too Many Requests: retry after 9");
    });
});
