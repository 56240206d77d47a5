/**
 * Request bodies out (JSON or form) and response bodies in (JSON when it says so, else text).
 */

/** An encoded request body and the Content-Type it goes with. */
export interface EncodedBody {
    /** The bytes to send. */
    bytes: Buffer;
    /** The Content-Type header value for them. */
    contentType: string;
}

/**
 * Encodes a JSON value or a form. Returns undefined when there is no body. The caller has
 * already made sure at most one of the two is given.
 */
export function encodeBody(
    json: unknown,
    form: Readonly<Record<string, string>> | undefined,
): EncodedBody | undefined {
    if (json !== undefined) {
        return {
            bytes: Buffer.from(JSON.stringify(json), "utf8"),
            contentType: "application/json; charset=utf-8",
        };
    }
    if (form !== undefined) {
        return {
            bytes: Buffer.from(new URLSearchParams(Object.entries(form)).toString(), "utf8"),
            contentType: "application/x-www-form-urlencoded",
        };
    }
    return undefined;
}

/** `application/json` and any `+json` media type (e.g. `application/problem+json`). */
function isJsonMediaType(contentType: string | undefined): boolean {
    if (!contentType) return false;
    const mediaType = contentType.split(";")[0].trim().toLowerCase();
    return mediaType === "application/json" || mediaType.endsWith("+json");
}

/** A decoded response body. */
export interface DecodedBody {
    /** Parsed JSON value, or the text. */
    body: unknown;
    /** Which of the two `body` is. */
    bodyType: "json" | "text";
}

/**
 * Decodes a response body. It is parsed as JSON when the Content-Type says JSON and the text
 * parses; a body that claims JSON but is not (an HTML error page from a proxy) is returned as
 * text so the caller still sees the status instead of a parse error.
 */
export function decodeBody(bytes: Buffer, contentType: string | undefined): DecodedBody {
    const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
    if (isJsonMediaType(contentType) && text.trim() !== "") {
        try {
            return { body: JSON.parse(text), bodyType: "json" };
        } catch {
            // Fall through to text.
        }
    }
    return { body: text, bodyType: "text" };
}
