/**
 * Fake Telegram Bot API for reminder-only keys: a bot token cannot be rotated by API (BotFather's
 * `/revoke` is a human step), so keywarden only checks it and reminds. Served: `getMe` (verify)
 * and `sendMessage` (use), by GET or POST, parameters in the query, a form or JSON, as Telegram
 * allows.
 *
 * The register's key ID is the bot's numeric ID (the part of the token before the colon), which
 * survives a revoke: `revokeViaBotFather` rolls the token as BotFather does, killing the old one
 * at once. A token that is not shaped like one gets 404 Not Found; a well-shaped unknown or
 * revoked one gets 401 Unauthorized, both as `{"ok": false, "error_code", "description"}`.
 */
import type { IssuedKey, KeyRegister } from "./register";
import { randomDigits, randomUrlSafe } from "./ids";
import {
    ProviderError,
    formBody,
    jsonObject,
    mediaType,
    route,
    type Dialect,
    type FakeRequest,
    type Route,
} from "./routing";
import { startFake, type FakeBase, type FakeOptions } from "./server";

/** A running fake Telegram Bot API. */
export interface FakeTelegram extends FakeBase {
    /** Registers a bot as BotFather's /newbot would; `username` should end in "bot". */
    seedKey(username?: string): IssuedKey;
    /** BotFather's /revoke: a new token for the same bot, the old one dead at once. */
    revokeViaBotFather(botId: string): IssuedKey;
}

/** Operation names of the fake Telegram. */
export const TELEGRAM_OPERATIONS = ["verify", "use"] as const;

const TOKEN_SHAPE = /^\d+:[\w-]{35}$/;

/** Telegram's error shape: `{"ok": false, "error_code", "description", "parameters"?}`. */
export const telegramDialect: Dialect = {
    error: (status, message, details) => {
        if (status === 429) {
            const retryAfter = (details?.retryAfterSeconds as number | undefined) ?? 5;
            return {
                ok: false,
                error_code: 429,
                description: `Too Many Requests: retry after ${retryAfter}`,
                parameters: { retry_after: retryAfter },
            };
        }
        const fixed: Record<number, string> = { 401: "Unauthorized", 404: "Not Found" };
        const description = fixed[status] ?? (status >= 500 ? "Internal Server Error" : message);
        return { ok: false, error_code: status, description };
    },
};

const newSecret = (botId: string) => `${botId}:AA${randomUrlSafe(33)}`;

/** Starts a fake Telegram Bot API on 127.0.0.1. */
export async function startFakeTelegram(options: FakeOptions = {}): Promise<FakeTelegram> {
    const base = await startFake(options, {
        name: "telegram",
        dialect: telegramDialect,
        operations: TELEGRAM_OPERATIONS,
        routes: ({ register }) => telegramRoutes(register),
    });
    return {
        ...base,
        seedKey: (username = "weather_bot") => {
            const botId = randomDigits(10);
            return base.register.issue({ id: botId, name: username, secret: newSecret(botId) });
        },
        revokeViaBotFather: (botId) => {
            const rolled = base.register.roll(botId, newSecret(botId));
            if (!rolled) throw new Error(`revokeViaBotFather: no live bot with ID ${botId}.`);
            return rolled;
        },
    };
}

function telegramRoutes(register: KeyRegister): Route[] {
    const bot = (req: FakeRequest) => {
        if (!TOKEN_SHAPE.test(req.params.token)) throw new ProviderError(404, "Not Found");
        const key = register.authenticate(req.params.token);
        if (!key) throw new ProviderError(401, "Unauthorized");
        return key;
    };
    const paramsOf = (req: FakeRequest): Record<string, unknown> => {
        const type = mediaType(req);
        if (type === "application/json") return jsonObject(req);
        if (type === "application/x-www-form-urlencoded") return Object.fromEntries(formBody(req));
        return Object.fromEntries(req.query);
    };
    const getMe = (req: FakeRequest) => {
        const key = bot(req);
        const result = {
            id: Number(key.id),
            is_bot: true,
            first_name: key.name,
            username: key.name,
            can_join_groups: true,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
        };
        return { status: 200, body: { ok: true, result } };
    };
    const sendMessage = (req: FakeRequest) => {
        const key = bot(req);
        const params = paramsOf(req);
        if (params.chat_id === undefined || params.chat_id === "") {
            throw new ProviderError(400, "Bad Request: chat_id is empty");
        }
        if (typeof params.text !== "string" || params.text === "") {
            throw new ProviderError(400, "Bad Request: message text is empty");
        }
        const result = {
            message_id: 1,
            from: { id: Number(key.id), is_bot: true, first_name: key.name },
            chat: { id: Number(params.chat_id) || params.chat_id },
            text: params.text,
        };
        return { status: 200, body: { ok: true, result } };
    };
    return ["GET", "POST"].flatMap((method) => [
        route(method, "/bot{token}/getMe", "verify", getMe),
        route(method, "/bot{token}/sendMessage", "use", sendMessage),
    ]);
}
