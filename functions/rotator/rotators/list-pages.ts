/**
 * Paging of a spec's list call. Finding an unfinished attempt's key by its name is only a proof
 * of absence when every page was read: a key on page two that the search never saw would stay
 * valid at the provider with nobody to revoke it. So the search follows the provider's own
 * paging, and a list it cannot read to the end is a failure (reported in Slack with the attempt
 * ID), never an empty result.
 */
import { ListPaging } from "../policy/types";
import { lookupPath } from "./templates";

/** Pages read when the spec does not say. */
export const DEFAULT_MAX_LIST_PAGES = 20;
/** The most a spec may ask for: each page is one request under the tick's deadline. */
export const MAX_LIST_PAGES = 100;

/** The URL of the first page: the rendered list URL, with page 1 asked for by number. */
export function firstPageUrl(listUrl: string, paging: ListPaging | undefined): string {
    if (!paging?.pageParam) return listUrl;
    const url = new URL(listUrl);
    url.searchParams.set(paging.pageParam, "1");
    return url.toString();
}

/**
 * The URL of the page after `currentUrl`, read from its answer; `undefined` on the last page.
 * When the answer does not say where the list goes on, throws what it lacks ("a URL at ..."),
 * for the rotator's bad-response error.
 */
export function nextPageUrl(
    paging: ListPaging | undefined,
    body: unknown,
    currentUrl: string,
    itemsOnPage: number,
): string | undefined {
    if (!paging) return undefined;
    if (paging.offsetParam !== undefined) {
        // Offsets carry no end marker: the list ends at the first empty page.
        if (itemsOnPage === 0) return undefined;
        const url = new URL(currentUrl);
        const offset = Number(url.searchParams.get(paging.offsetParam) ?? "0");
        url.searchParams.set(paging.offsetParam, String(offset + itemsOnPage));
        return url.toString();
    }
    if (paging.nextUrlPath !== undefined) {
        const next = lookupPath(body, paging.nextUrlPath);
        if (next === undefined || next === null || next === "") return undefined;
        if (typeof next !== "string") {
            throw new Error(`a URL at "${paging.nextUrlPath}"`);
        }
        // A relative next URL is read against the page it came from (Twilio's `next_page_uri`).
        return new URL(next, currentUrl).toString();
    }
    if (paging.cursorPath !== undefined && paging.cursorParam !== undefined) {
        const cursor = lookupPath(body, paging.cursorPath);
        const hasCursor = typeof cursor === "string" ? cursor !== "" : typeof cursor === "number";
        const more = paging.morePath === undefined ? hasCursor : lookupPath(body, paging.morePath);
        if (more !== true) return undefined;
        if (!hasCursor) {
            throw new Error(
                `a cursor at "${paging.cursorPath}" while "${paging.morePath}" is true`,
            );
        }
        const url = new URL(currentUrl);
        url.searchParams.set(paging.cursorParam, String(cursor));
        return url.toString();
    }
    if (paging.pageParam !== undefined && paging.totalPagesPath !== undefined) {
        const total = lookupPath(body, paging.totalPagesPath);
        if (typeof total !== "number" || !Number.isInteger(total) || total < 0) {
            throw new Error(`a page count at "${paging.totalPagesPath}"`);
        }
        const url = new URL(currentUrl);
        const page = Number(url.searchParams.get(paging.pageParam) ?? "1");
        if (page >= total) return undefined;
        url.searchParams.set(paging.pageParam, String(page + 1));
        return url.toString();
    }
    return undefined;
}
