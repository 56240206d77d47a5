/**
 * Twilio API keys through IAM v1 (https://www.twilio.com/docs/iam/api-keys/key-resource-v1).
 *
 * Keys are created and revoked on the IAM host with the account's Auth Token, and checked on
 * the REST API host with the new key itself (`SK...:secret`). The Auth Token therefore goes to
 * the IAM host only: the spec's verify call carries the new key and nothing else. Twilio keys
 * have no expiry.
 */
import type { Preset } from "./preset";
import { baseUrlParam } from "./preset";

const admin = { username: "{{params.accountSid}}", password: "{{admin}}" };

/** The Twilio preset. */
export const twilio: Preset = {
    name: "twilio",
    label: "Twilio",
    adminSecret: "The account's Auth Token (sent as HTTP Basic with the Account SID).",
    expiry: false,
    listing: true,
    docs: "https://www.twilio.com/docs/iam/api-keys/key-resource-v1",
    params: [
        {
            name: "accountSid",
            description:
                "The Account SID the keys belong to, e.g. " +
                '"ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".',
            type: "text",
            required: true,
            pattern: /^AC[0-9a-fA-F]{32}$/,
            patternHint: '"AC" followed by 32 hex digits',
        },
        baseUrlParam("https://iam.twilio.com"),
        {
            ...baseUrlParam("https://api.twilio.com"),
            name: "apiBaseUrl",
            description:
                "Base URL of the REST API the new key is checked against. Default " +
                "https://api.twilio.com.",
        },
    ],
    spec: {
        label: "Twilio",
        create: {
            method: "POST",
            url: "{{params.baseUrl}}/v1/Keys",
            basicAuth: admin,
            form: { AccountSid: "{{params.accountSid}}", FriendlyName: "{{keyName}}" },
            keyPath: "secret",
            keyIdPath: "sid",
        },
        verify: {
            method: "GET",
            url:
                "{{params.apiBaseUrl}}/2010-04-01/Accounts/{{params.accountSid}}" +
                "/IncomingPhoneNumbers.json?PageSize=1",
            basicAuth: { username: "{{keyId}}", password: "{{key}}" },
        },
        revoke: { method: "DELETE", url: "{{params.baseUrl}}/v1/Keys/{{keyId}}", basicAuth: admin },
        list: {
            method: "GET",
            url: "{{params.baseUrl}}/v1/Keys?AccountSid={{params.accountSid}}&PageSize=1000",
            basicAuth: admin,
            itemsPath: "keys",
            namePath: "friendly_name",
            idPath: "sid",
            paging: { nextUrlPath: "meta.next_page_url" },
        },
    },
    limits: [
        "Only the Auth Token is supported as admin credential; a Main API key would need its " +
            "own SID as the Basic user name, which this preset does not take.",
    ],
};
