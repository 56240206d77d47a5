/**
 * One `HttpCall` of a spec, rendered into a transport request.
 *
 * Kept apart from the rotator so that validation can ask the same questions the rotator does
 * (which host a call goes to, whether it carries the admin credential) without making calls.
 */
import type { HttpCall } from "../policy/types";
import type { TransportRequest } from "./rotator";
import {
    placeholdersIn,
    renderForm,
    renderJson,
    renderString,
    renderUrl,
    TemplateValues,
} from "./templates";

/** A transport request without the fields the rotator decides (idempotence, guards). */
export type RenderedCall = Omit<TransportRequest, "idempotent" | "credentialHost" | "secrets">;

/** Renders every part of a call. Throws `TemplateError` naming the first unusable placeholder. */
export function renderCall(call: HttpCall, values: TemplateValues): RenderedCall {
    const rendered: RenderedCall = { method: call.method, url: renderUrl(call.url, values) };
    if (call.headers) {
        rendered.headers = {};
        for (const [name, value] of Object.entries(call.headers)) {
            rendered.headers[name] = renderString(value, values);
        }
    }
    if (call.json !== undefined) rendered.json = renderJson(call.json, values);
    if (call.form) rendered.form = renderForm(call.form, values);
    if (call.basicAuth) {
        rendered.basicAuth = {
            username: renderString(call.basicAuth.username, values),
            password: renderString(call.basicAuth.password, values),
        };
    }
    return rendered;
}

/** Every placeholder a call uses anywhere (URL, headers, body, basic auth). */
export function callPlaceholders(call: HttpCall): string[] {
    return placeholdersIn([
        call.url,
        call.headers ?? {},
        call.json ?? null,
        call.form ?? {},
        call.basicAuth ?? {},
    ]);
}

/** True when the call sends the admin credential or a field of it. */
export function usesAdmin(call: HttpCall): boolean {
    return callPlaceholders(call).some((p) => p === "admin" || p.startsWith("admin."));
}

/** True when some string of the call holds `{{expiresAt}}`. */
export function usesExpiry(call: HttpCall): boolean {
    return callPlaceholders(call).includes("expiresAt");
}

/**
 * The host (with port) a call's URL template points at, given the params, or undefined when
 * the URL is not a URL or its host depends on a runtime value (which a spec must not do).
 */
export function templateHost(
    urlTemplate: string,
    params: Record<string, string>,
): string | undefined {
    const url = parseTemplateUrl(urlTemplate, params);
    return url?.host || undefined;
}

/**
 * The URL template parsed with params filled in and runtime placeholders replaced by a marker.
 * Undefined when a param is missing or the result is not a URL.
 */
export function parseTemplateUrl(
    urlTemplate: string,
    params: Record<string, string>,
): URL | undefined {
    const marker = "keywarden-runtime-value";
    const withParams = urlTemplate.replace(
        /\{\{params\.([A-Za-z_][A-Za-z0-9_]*)\}\}/g,
        (whole, name: string) => params[name] ?? whole,
    );
    if (/\{\{params\./.test(withParams)) return undefined;
    const filled = withParams.replace(/\{\{[^{}]*\}\}/g, marker);
    let url: URL;
    try {
        url = new URL(filled);
    } catch {
        return undefined;
    }
    return url.host.includes(marker) ? undefined : url;
}

/**
 * Every string in the admin credential that must never appear in an error: the whole value
 * and, when it is a JSON object, each string field of it (what `{{admin.FIELD}}` sends).
 */
export function adminSecrets(admin: string | undefined): string[] {
    if (admin === undefined) return [];
    const found = [admin];
    try {
        const parsed: unknown = JSON.parse(admin);
        if (parsed !== null && typeof parsed === "object") {
            for (const value of Object.values(parsed)) {
                if (typeof value === "string" && value !== "") found.push(value);
            }
        }
    } catch {
        // Not JSON: the whole value is the credential.
    }
    return found;
}
