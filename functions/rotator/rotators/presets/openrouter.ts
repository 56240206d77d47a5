/**
 * OpenRouter API keys (https://openrouter.ai/docs/api/api-reference/api-keys).
 *
 * Managed with a management key; each key's ID is its `hash`. New keys get `expires_at`, so an
 * orphan dies on its own.
 */
import type { Preset } from "./preset";
import { baseUrlParam } from "./preset";

const admin = { Authorization: "Bearer {{admin}}" };

/** The OpenRouter preset. */
export const openrouter: Preset = {
    name: "openrouter",
    label: "OpenRouter",
    adminSecret: "An OpenRouter management key (made under Settings, Management keys).",
    expiry: true,
    listing: true,
    docs: "https://openrouter.ai/docs/api/api-reference/api-keys",
    params: [baseUrlParam("https://openrouter.ai")],
    spec: {
        label: "OpenRouter",
        create: {
            method: "POST",
            url: "{{params.baseUrl}}/api/v1/keys",
            headers: admin,
            json: { name: "{{keyName}}", expires_at: "{{expiresAt}}" },
            keyPath: "key",
            keyIdPath: "data.hash",
        },
        verify: {
            method: "GET",
            url: "{{params.baseUrl}}/api/v1/key",
            headers: { Authorization: "Bearer {{key}}" },
        },
        revoke: {
            method: "DELETE",
            url: "{{params.baseUrl}}/api/v1/keys/{{keyId}}",
            headers: admin,
        },
        list: {
            method: "GET",
            url: "{{params.baseUrl}}/api/v1/keys",
            headers: admin,
            itemsPath: "data",
            namePath: "name",
            idPath: "hash",
            paging: { offsetParam: "offset" },
        },
    },
};
