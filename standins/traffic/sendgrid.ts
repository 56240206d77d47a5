/**
 * SendGrid as the simulated bots and the naive script see it: the bot's own call (send a mail)
 * and the two key-management calls a create-sleep-revoke script makes. Real request shapes, so
 * they work against the fake SendGrid and would against the real API.
 */
import { call } from "../providers/http-client";
import type { UseCall } from "./bot";
import type { KeyAdminApi } from "./naive-rotation";

/** The bot's call: `POST /v3/mail/send` with its key; 202 when the key works. */
export function sendGridMailSend(baseUrl: string): UseCall {
    return async (key) => {
        const answer = await call(baseUrl, "POST", "/v3/mail/send", {
            bearer: key,
            json: {
                personalizations: [{ to: [{ email: "alerts@example.com" }] }],
                from: { email: "bot@example.com" },
                subject: "weather alert",
                content: [{ type: "text/plain", value: "Rain expected at 16:00." }],
            },
        });
        return answer.status;
    };
}

/** SendGrid's key API with an admin key (`api_keys.*` scopes): create and revoke. */
export function sendGridKeyAdmin(baseUrl: string, adminKey: string): KeyAdminApi {
    return {
        async create(name) {
            const answer = await call(baseUrl, "POST", "/v3/api_keys", {
                bearer: adminKey,
                json: { name, scopes: ["mail.send"] },
            });
            if (answer.status !== 201) {
                throw new Error(`SendGrid create answered HTTP ${answer.status}`);
            }
            return { keyId: answer.body.api_key_id as string, key: answer.body.api_key as string };
        },
        async revoke(keyId) {
            const path = `/v3/api_keys/${encodeURIComponent(keyId)}`;
            const answer = await call(baseUrl, "DELETE", path, { bearer: adminKey });
            if (answer.status !== 204) {
                throw new Error(`SendGrid revoke of ${keyId} answered HTTP ${answer.status}`);
            }
        },
    };
}
