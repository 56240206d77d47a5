/**
 * Cloudflare API tokens
 * (https://developers.cloudflare.com/api/resources/user/subresources/tokens/).
 *
 * Tokens are account-owned (under /accounts/{accountId}/tokens) when `accountId` is given, else
 * user-owned (under /user/tokens); the two paths are two specs. New tokens get `expires_on`, so
 * an orphan dies on its own. The roll endpoint (`PUT .../tokens/{id}/value`) is never used: it
 * kills the old value at once, breaking every bot still holding it.
 */
import type { HttpRotatorSpec } from "../../policy/types";
import type { Preset } from "./preset";
import { baseUrlParam } from "./preset";

const admin = { Authorization: "Bearer {{admin}}" };

/** The spec for tokens under `tokensUrl` (a URL template ending in `/tokens`). */
function tokenSpec(tokensUrl: string): HttpRotatorSpec {
    return {
        label: "Cloudflare",
        create: {
            method: "POST",
            url: tokensUrl,
            headers: admin,
            json: {
                name: "{{keyName}}",
                policies: "{{params.policies}}",
                expires_on: "{{expiresAt}}",
            },
            keyPath: "result.value",
            keyIdPath: "result.id",
        },
        verify: {
            method: "GET",
            url: `${tokensUrl}/verify`,
            headers: { Authorization: "Bearer {{key}}" },
            expectPath: "result.status",
            expectValue: "active",
        },
        revoke: { method: "DELETE", url: `${tokensUrl}/{{keyId}}`, headers: admin },
        list: {
            method: "GET",
            url: `${tokensUrl}?per_page=50`,
            headers: admin,
            itemsPath: "result",
            namePath: "name",
            idPath: "id",
            paging: { pageParam: "page", totalPagesPath: "result_info.total_pages" },
        },
    };
}

/** The Cloudflare preset. */
export const cloudflare: Preset = {
    name: "cloudflare",
    label: "Cloudflare",
    adminSecret:
        'A Cloudflare API token with the "API Tokens Write" permission (account or ' +
        "user, matching `accountId`).",
    expiry: true,
    listing: true,
    docs: "https://developers.cloudflare.com/api/resources/user/subresources/tokens/",
    params: [
        {
            name: "accountId",
            description:
                "The account that owns the tokens (32 hex digits). Leave out for " +
                "user-owned tokens.",
            type: "text",
            required: false,
            pattern: /^[0-9a-f]{32}$/,
            patternHint: "32 lowercase hex digits, as shown in the dashboard's URL",
        },
        {
            name: "policies",
            description:
                'The token\'s policies as JSON text, e.g. \'[{"effect":"allow",' +
                '"resources":{...},"permission_groups":[{"id":"..."}]}]\'.',
            type: "json-array",
            required: true,
        },
        baseUrlParam("https://api.cloudflare.com/client/v4"),
    ],
    spec: tokenSpec("{{params.baseUrl}}/accounts/{{params.accountId}}/tokens"),
    whenAbsent: { param: "accountId", spec: tokenSpec("{{params.baseUrl}}/user/tokens") },
};
