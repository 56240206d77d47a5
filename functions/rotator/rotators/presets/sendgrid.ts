/**
 * SendGrid API keys (https://www.twilio.com/docs/sendgrid/api-reference/api-keys).
 *
 * Keys carry scopes and a name, nothing else: no expiry, so an orphan lives until it is found
 * by name and revoked. An account holds at most 100 keys and answers 403 past that, which the
 * rotator cannot tell from a refused admin key (the message says both).
 */
import type { Preset } from "./preset";
import { baseUrlParam } from "./preset";

const admin = { Authorization: "Bearer {{admin}}" };

/** The SendGrid preset. */
export const sendGrid: Preset = {
    name: "sendgrid",
    label: "SendGrid",
    adminSecret:
        "A SendGrid API key with the api_keys.create, api_keys.read and " +
        "api_keys.delete scopes (made once in the web app).",
    expiry: false,
    listing: true,
    docs: "https://www.twilio.com/docs/sendgrid/api-reference/api-keys",
    params: [
        {
            name: "scopes",
            description:
                'Comma-separated scopes of each new key, e.g. "mail.send,stats.read". ' +
                "Default mail.send.",
            type: "list",
            required: false,
            default: "mail.send",
            pattern: /^[a-z0-9_.]+(\s*,\s*[a-z0-9_.]+)*$/,
            patternHint: 'scope names separated by commas, e.g. "mail.send,stats.read"',
        },
        baseUrlParam("https://api.sendgrid.com"),
    ],
    spec: {
        label: "SendGrid",
        create: {
            method: "POST",
            url: "{{params.baseUrl}}/v3/api_keys",
            headers: admin,
            json: { name: "{{keyName}}", scopes: "{{params.scopes}}" },
            keyPath: "api_key",
            keyIdPath: "api_key_id",
        },
        verify: {
            method: "GET",
            url: "{{params.baseUrl}}/v3/scopes",
            headers: { Authorization: "Bearer {{key}}" },
        },
        revoke: {
            method: "DELETE",
            url: "{{params.baseUrl}}/v3/api_keys/{{keyId}}",
            headers: admin,
        },
        list: {
            method: "GET",
            url: "{{params.baseUrl}}/v3/api_keys?limit=100",
            headers: admin,
            itemsPath: "result",
            namePath: "name",
            idPath: "api_key_id",
        },
    },
};
