/**
 * What a preset is: an `HttpRotatorSpec` for one provider, plus the facts a user needs to pick
 * it (its params, what its admin secret holds, whether it has expiry and listing, where its API
 * is documented). A preset holds no code: everything provider-specific is in its spec.
 */
import type { HttpRotatorSpec, PresetName } from "../../policy/types";

/**
 * How a param's text becomes a value. `text` is used as written wherever `{{params.NAME}}`
 * appears; `list` (comma-separated) and `json-array` (JSON text of an array) become JSON arrays
 * and may only stand alone as a whole value in a JSON body, e.g. `"scopes": "{{params.scopes}}"`.
 */
export type ParamType = "text" | "list" | "json-array";

/** One param a preset takes. */
export interface PresetParam {
    name: string;
    /** One sentence: what it is, with an example. */
    description: string;
    type: ParamType;
    /** Whether the user must give it (no default exists). */
    required: boolean;
    /** Used when the user gives none. */
    default?: string;
    /** When absent, take the value of this other param (after its own default). */
    defaultFrom?: string;
    /** What a valid value looks like; checked by validation. */
    pattern?: RegExp;
    /** How `pattern` reads in words, for the error message. */
    patternHint?: string;
    /** The value is an API base URL: it must use https (see `UrlRules`). */
    url?: boolean;
}

/** A bundled provider. */
export interface Preset {
    name: PresetName;
    /** The provider's name in messages. */
    label: string;
    /** What the admin secret must hold, in one sentence. */
    adminSecret: string;
    /** Whether new keys get a provider-side expiry (the create call sends `{{expiresAt}}`). */
    expiry: boolean;
    /** Whether orphans can be found by name (the spec has a list call). */
    listing: boolean;
    /** The provider's API reference. */
    docs: string;
    params: PresetParam[];
    /** The provider's key API. */
    spec: HttpRotatorSpec;
    /**
     * Another spec to use when an optional param is not given (Cloudflare's user-owned tokens
     * live under a different path from account-owned ones): `{ param, spec }`.
     */
    whenAbsent?: { param: string; spec: HttpRotatorSpec };
    /** What the API needs that a spec cannot say, and what the preset does instead. */
    limits?: string[];
}

/** The `baseUrl` param every preset has, so that tests can point it at a loopback fake. */
export function baseUrlParam(defaultUrl: string): PresetParam {
    return {
        name: "baseUrl",
        description: `The API's base URL, without a trailing slash. Default ${defaultUrl}.`,
        type: "text",
        required: false,
        default: defaultUrl,
        pattern: /^https?:\/\/[^/?#]+(\/[^?#]*[^/?#])?$/,
        patternHint: 'an absolute URL such as "https://api.example.com" without a trailing slash',
        url: true,
    };
}
