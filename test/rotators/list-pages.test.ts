/**
 * Finding a key by name through a paged list: each paging style a spec can describe, against a
 * loopback server that pages seven keys two at a time, through the real outbound client. A key
 * on the last page is found; a list that does not end, a next page on another host and an
 * answer that contradicts itself are failures, never an empty result.
 */
import * as assert from "node:assert/strict";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import type { HttpRotatorSpec, ListPaging } from "../../functions/rotator/policy/types";
import { HttpSpecRotator } from "../../functions/rotator/rotators/http-spec";
import { captureLogs, depsWith, RecordingTransport, rejectsWith } from "./support";

const ADMIN = "pager-admin-credential";
const KEYS = Array.from({ length: 7 }, (_, i) => ({ id: `id-${i}`, name: `key-${i}` }));
const PER_PAGE = 2;

type Style = "next-url" | "cursor" | "page" | "offset" | "endless" | "elsewhere" | "no-cursor";

/** One page of the list in the given style, for the query the rotator sent. */
function answer(style: Style, query: URLSearchParams, otherHost: string): unknown {
    switch (style) {
        case "next-url": {
            const start = Number(query.get("start") ?? 0);
            const end = start + PER_PAGE;
            // Relative, as Twilio's `next_page_uri`: read against the page it came from.
            const next = end < KEYS.length ? `/keys?limit=${PER_PAGE}&start=${end}` : null;
            return { items: KEYS.slice(start, end), meta: { next } };
        }
        case "cursor": {
            const after = query.get("after");
            const start = after === null ? 0 : KEYS.findIndex((k) => k.id === after) + 1;
            const items = KEYS.slice(start, start + PER_PAGE);
            const more = start + PER_PAGE < KEYS.length;
            return { items, last_id: items.at(-1)?.id ?? null, has_more: more };
        }
        case "page": {
            const page = Number(query.get("page"));
            const items = KEYS.slice((page - 1) * PER_PAGE, page * PER_PAGE);
            return { items, info: { total_pages: Math.ceil(KEYS.length / PER_PAGE) } };
        }
        case "offset": {
            const offset = Number(query.get("offset") ?? 0);
            return { items: KEYS.slice(offset, offset + PER_PAGE) };
        }
        case "endless":
            return { items: KEYS.slice(0, PER_PAGE), meta: { next: "/keys?again=1" } };
        case "elsewhere":
            return { items: [], meta: { next: `http://${otherHost}/keys` } };
        case "no-cursor":
            return { items: KEYS.slice(0, PER_PAGE), last_id: "", has_more: true };
    }
}

const PAGING: Record<Style, ListPaging> = {
    "next-url": { nextUrlPath: "meta.next" },
    cursor: { cursorPath: "last_id", cursorParam: "after", morePath: "has_more" },
    page: { pageParam: "page", totalPagesPath: "info.total_pages" },
    offset: { offsetParam: "offset" },
    endless: { nextUrlPath: "meta.next", maxPages: 3 },
    elsewhere: { nextUrlPath: "meta.next" },
    "no-cursor": { cursorPath: "last_id", cursorParam: "after", morePath: "has_more" },
};

async function listen(server: Server): Promise<string> {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("finding a key by name through a paged list", () => {
    let style: Style;
    let pager: Server;
    let other: Server;
    let host: string;
    let otherHost: string;
    let pagesServed: number;
    let otherRequests: number;
    let logs: ReturnType<typeof captureLogs>;

    beforeEach(async () => {
        logs = captureLogs();
        pagesServed = 0;
        otherRequests = 0;
        pager = createServer((req, res) => {
            const url = new URL(req.url!, "http://pager");
            assert.equal(req.headers.authorization, `Bearer ${ADMIN}`);
            pagesServed += 1;
            res.setHeader("content-type", "application/json");
            res.end(JSON.stringify(answer(style, url.searchParams, otherHost)));
        });
        other = createServer((_req, res) => {
            otherRequests += 1;
            res.end("{}");
        });
        host = await listen(pager);
        otherHost = (await listen(other)).replace("127.0.0.1", "localhost");
    });
    afterEach(async () => {
        logs.restore();
        assert.ok(!logs.lines.join("\n").includes(ADMIN), "no log line holds the admin credential");
        await new Promise((resolve) => pager.close(resolve));
        await new Promise((resolve) => other.close(resolve));
    });

    function rotator(): HttpSpecRotator {
        const auth = { Authorization: "Bearer {{admin}}" };
        const base = `http://${host}`;
        const spec: HttpRotatorSpec = {
            label: "Pager",
            create: {
                method: "POST",
                url: `${base}/keys`,
                headers: auth,
                json: { name: "{{keyName}}" },
                keyPath: "key",
                keyIdPath: "id",
            },
            verify: { method: "GET", url: `${base}/me`, headers: { Authorization: "{{key}}" } },
            revoke: { method: "DELETE", url: `${base}/keys/{{keyId}}`, headers: auth },
            list: {
                method: "GET",
                url: `${base}/keys?limit=${PER_PAGE}`,
                headers: auth,
                itemsPath: "items",
                namePath: "name",
                idPath: "id",
                paging: PAGING[style],
            },
        };
        return new HttpSpecRotator(spec, {}, depsWith(new RecordingTransport(), ADMIN));
    }

    const lastPage = Math.ceil(KEYS.length / PER_PAGE);
    for (const [paged, pages] of [
        ["next-url", lastPage],
        ["cursor", lastPage],
        ["page", lastPage],
        // Offsets have no end marker: the empty page after the last one ends the list.
        ["offset", lastPage + 1],
    ] as [Style, number][]) {
        it(`finds the key on the last page by ${paged}, reading ${pages} pages`, async () => {
            style = paged;
            assert.deepEqual(await rotator().findByName("key-6"), ["id-6"]);
            assert.equal(pagesServed, pages);
            pagesServed = 0;
            assert.deepEqual(await rotator().findByName("key-9"), []);
            assert.equal(pagesServed, pages, "an absent key is only absent after every page");
        });
    }

    it("stops at maxPages and fails rather than answer that no key has the name", async () => {
        style = "endless";
        const error = await rejectsWith(rotator().findByName("key-9"), "provider-error", [ADMIN]);
        assert.equal(
            error.message,
            "Pager list has more than 3 pages; the search stopped there, so a key of this name " +
                "may exist unseen: raise list.paging.maxPages or revoke old keys at the provider",
        );
        assert.equal(pagesServed, 3);
    });

    it("refuses a next page on another host, sending the admin credential nowhere", async () => {
        style = "elsewhere";
        const error = await rejectsWith(rotator().findByName("key-6"), "needs-human", [ADMIN]);
        assert.equal(
            error.message,
            `Pager list would send the admin credential to ${otherHost}, not to ${host} (the ` +
                "create URL's host); nothing was sent: fix the spec's URLs",
        );
        assert.equal(otherRequests, 0);
    });

    it("fails on an answer that says more pages follow but gives no cursor", async () => {
        style = "no-cursor";
        const error = await rejectsWith(rotator().findByName("key-6"), "bad-response", [ADMIN]);
        assert.equal(
            error.message,
            'Pager list answered HTTP 200 without a cursor at "last_id" while "has_more" is ' +
                "true: check the rotator's response paths against the provider's API reference",
        );
    });
});
