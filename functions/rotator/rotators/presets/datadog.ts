/**
 * Datadog API keys (https://docs.datadoghq.com/api/latest/key-management/).
 *
 * Admin calls carry two headers, an API key and an application key, so the admin secret is a
 * JSON object holding both. Datadog keys have no expiry. Key API answers (create, list, get)
 * contain live keys: like every answer, they are never logged.
 */
import type { Preset } from "./preset";
import { baseUrlParam } from "./preset";

const admin = {
    "DD-API-KEY": "{{admin.apiKey}}",
    "DD-APPLICATION-KEY": "{{admin.appKey}}",
};

/** The Datadog preset. */
export const datadog: Preset = {
    name: "datadog",
    label: "Datadog",
    adminSecret:
        'JSON {"apiKey": "...", "appKey": "..."}: an API key and an ' +
        "application key with the api_keys_write scope.",
    expiry: false,
    listing: true,
    docs: "https://docs.datadoghq.com/api/latest/key-management/",
    params: [
        {
            ...baseUrlParam("https://api.datadoghq.com"),
            name: "site",
            description:
                "The API base URL of the Datadog site, e.g. https://api.datadoghq.eu " +
                "or https://api.us3.datadoghq.com. Default https://api.datadoghq.com.",
        },
        {
            ...baseUrlParam("https://api.datadoghq.com"),
            default: undefined,
            defaultFrom: "site",
            description:
                "Overrides `site` (for a proxy or a test fake). Default: the value of " + "`site`.",
        },
    ],
    spec: {
        label: "Datadog",
        create: {
            method: "POST",
            url: "{{params.baseUrl}}/api/v2/api_keys",
            headers: admin,
            json: { data: { type: "api_keys", attributes: { name: "{{keyName}}" } } },
            keyPath: "data.attributes.key",
            keyIdPath: "data.id",
        },
        verify: {
            method: "GET",
            url: "{{params.baseUrl}}/api/v1/validate",
            headers: { "DD-API-KEY": "{{key}}" },
            expectPath: "valid",
            expectValue: true,
        },
        revoke: {
            method: "DELETE",
            url: "{{params.baseUrl}}/api/v2/api_keys/{{keyId}}",
            headers: admin,
        },
        list: {
            method: "GET",
            url: "{{params.baseUrl}}/api/v2/api_keys?page%5Bsize%5D=100&filter={{keyName}}",
            headers: admin,
            itemsPath: "data",
            namePath: "attributes.name",
            idPath: "id",
        },
    },
};
