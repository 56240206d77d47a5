/**
 * Page tokens for ListSecrets and ListSecretVersions.
 *
 * Items are listed newest first. A token records the position of the last item handed out (its
 * creation sequence) and the query it belongs to, so a page never repeats or skips an item when
 * others are created or deleted between two pages, and a token replayed with another parent or
 * filter is refused instead of returning the wrong items.
 */
import { invalidArgument } from "./errors";

/** The largest page the service returns; bigger `page_size` values are capped to it. */
export const MAX_PAGE_SIZE = 25000;

/** One page of results and the token for the next one ("" on the last page). */
export interface Page<T> {
    items: T[];
    nextPageToken: string;
}

/**
 * Cuts one page out of `newestFirst` (sorted by `sequence`, highest first). `query` identifies
 * the parent and filter the token was made for.
 */
export function takePage<T extends { sequence: number }>(
    newestFirst: T[],
    pageSize: number | undefined,
    pageToken: string | undefined,
    query: string,
): Page<T> {
    const size = pageSize ?? 0;
    if (!Number.isInteger(size) || size < 0) {
        throw invalidArgument("page_size", `must be 0 (server decides) or positive, got ${size}`);
    }
    const limit = size === 0 ? MAX_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
    const after = pageToken ? readToken(pageToken, query) : Number.POSITIVE_INFINITY;
    const remaining = newestFirst.filter((item) => item.sequence < after);
    const items = remaining.slice(0, limit);
    const more = remaining.length > items.length;
    return {
        items,
        nextPageToken: more ? writeToken(items[items.length - 1].sequence, query) : "",
    };
}

function writeToken(lastSequence: number, query: string): string {
    const fields = JSON.stringify({ after: lastSequence, query });
    return Buffer.from(fields, "utf8").toString("base64url");
}

function readToken(token: string, query: string): number {
    let parsed: unknown;
    try {
        parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    } catch {
        parsed = undefined;
    }
    const fields = parsed as { after?: unknown; query?: unknown } | undefined;
    if (typeof fields?.after !== "number" || typeof fields.query !== "string") {
        throw invalidArgument("page_token", "is not a token returned by a previous list call");
    }
    if (fields.query !== query) {
        throw invalidArgument(
            "page_token",
            "was returned for another parent or filter; send the same parent and filter",
        );
    }
    return fields.after;
}
