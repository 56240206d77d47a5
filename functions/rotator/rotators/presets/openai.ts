/**
 * OpenAI project keys, through project service accounts
 * (https://platform.openai.com/docs/api-reference/project-service-accounts).
 *
 * Project API keys cannot be created by API, but a service account can, and it comes with a
 * key. So each rotation creates a service account named after the key, and the key ID this
 * rotator tracks is the service account's ID: deleting the service account revokes its key.
 * The keys have no expiry.
 */
import type { Preset } from "./preset";
import { baseUrlParam } from "./preset";

const admin = { Authorization: "Bearer {{admin}}" };
const accounts =
    "{{params.baseUrl}}/v1/organization/projects/{{params.projectId}}/service_accounts";

/** The OpenAI preset. */
export const openai: Preset = {
    name: "openai",
    label: "OpenAI",
    adminSecret: "An OpenAI admin key (sk-admin-...) of the organization that owns the project.",
    expiry: false,
    listing: true,
    docs: "https://platform.openai.com/docs/api-reference/project-service-accounts",
    params: [
        {
            name: "projectId",
            description: 'The project the service accounts are made in, e.g. "proj_abc123".',
            type: "text",
            required: true,
            pattern: /^proj_[A-Za-z0-9]+$/,
            patternHint: '"proj_" followed by letters and digits',
        },
        baseUrlParam("https://api.openai.com"),
    ],
    spec: {
        label: "OpenAI",
        create: {
            method: "POST",
            url: accounts,
            headers: admin,
            json: { name: "{{keyName}}" },
            keyPath: "api_key.value",
            keyIdPath: "id",
        },
        verify: {
            method: "GET",
            url: "{{params.baseUrl}}/v1/models",
            headers: { Authorization: "Bearer {{key}}" },
        },
        revoke: { method: "DELETE", url: `${accounts}/{{keyId}}`, headers: admin },
        list: {
            method: "GET",
            url: `${accounts}?limit=100`,
            headers: admin,
            itemsPath: "data",
            namePath: "name",
            idPath: "id",
            paging: { cursorPath: "last_id", cursorParam: "after", morePath: "has_more" },
        },
    },
};
