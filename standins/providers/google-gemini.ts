/**
 * The Gemini API calls a bot makes with a Google API key, served by the fake API Keys server
 * (the real host is generativelanguage.googleapis.com; the paths do not clash, so one fake
 * serves both). The key comes in the `x-goog-api-key` header or the `key` query parameter.
 *
 * Gemini accepts only keys bound to a service account (`serviceAccountEmail`) and restricted
 * to generativelanguage.googleapis.com. An unknown, deleted or malformed key gets 400
 * API_KEY_INVALID; a working key that breaks either rule gets 403.
 */
import type { KeyRegister } from "./register";
import { allowsService } from "./google-key-resource";
import { ProviderError, header, jsonObject, route, type FakeRequest, type Route } from "./routing";

/** The service name a Gemini key must be restricted to. */
export const GEMINI_SERVICE = "generativelanguage.googleapis.com";

/** The verify (`GET /v1beta/models`) and use (`POST .../{model}:generateContent`) routes. */
export function geminiRoutes(register: KeyRegister): Route[] {
    const requireGeminiKey = (req: FakeRequest) => {
        const presented = header(req, "x-goog-api-key") ?? req.query.get("key") ?? undefined;
        if (presented === undefined) {
            throw new ProviderError(
                403,
                "Method doesn't allow unregistered callers (callers without established " +
                    "identity). Please use API Key or other form of API consumer identity to " +
                    "call this API.",
            );
        }
        const key = register.authenticate(presented);
        if (!key) {
            throw new ProviderError(400, "API key not valid. Please pass a valid API key.", {
                reason: "API_KEY_INVALID",
                service: GEMINI_SERVICE,
            });
        }
        if (!allowsService(key, GEMINI_SERVICE)) {
            throw new ProviderError(
                403,
                `Requests to this API ${GEMINI_SERVICE} are blocked: ` +
                    `restrict the key to ${GEMINI_SERVICE}.`,
                {
                    reason: "API_KEY_SERVICE_BLOCKED",
                    service: GEMINI_SERVICE,
                },
            );
        }
        if (typeof key.attributes.serviceAccountEmail !== "string") {
            throw new ProviderError(
                403,
                "The Gemini API accepts only API keys bound to a " +
                    "service account: create the key with `serviceAccountEmail`.",
                {
                    service: GEMINI_SERVICE,
                },
            );
        }
        return key;
    };
    return [
        route("GET", "/v1beta/models", "verify", (req) => {
            requireGeminiKey(req);
            const model = {
                name: "models/gemini-2.5-flash",
                displayName: "Gemini 2.5 Flash",
                supportedGenerationMethods: ["generateContent"],
            };
            return { status: 200, body: { models: [model] } };
        }),
        route("POST", "/v1beta/models/{model}:generateContent", "use", (req) => {
            requireGeminiKey(req);
            const body = jsonObject(req);
            if (!Array.isArray(body.contents) || body.contents.length === 0) {
                throw new ProviderError(400, "`contents` must be a non-empty array.");
            }
            const content = { role: "model", parts: [{ text: "ok" }] };
            return {
                status: 200,
                body: {
                    candidates: [{ content, finishReason: "STOP", index: 0 }],
                    modelVersion: req.params.model,
                },
            };
        }),
    ];
}
