/**
 * A rotator driven by a declarative `HttpRotatorSpec`: the provider's key API described as four
 * HTTP calls (create, verify, revoke, and optionally list), with placeholders filled per call.
 *
 * The admin credential goes only to the host of the create URL: every call that carries it is
 * checked against that host here, and the host is passed to the transport as `credentialHost`
 * so that redirects cannot carry it elsewhere either.
 */
import type { HttpCall, HttpRotatorSpec } from "../policy/types";
import { badResponse, guarded, isOk, statusFailure } from "./failures";
import {
    adminSecrets,
    RenderedCall,
    renderCall,
    templateHost,
    usesAdmin,
    usesExpiry,
} from "./http-call";
import {
    IssuedKey,
    KeyRequest,
    RevokeOutcome,
    Rotator,
    RotatorDeps,
    RotatorError,
    TransportResponse,
} from "./rotator";
import { formatExpiry, lookupPath, TemplateError, TemplateValues } from "./templates";
import { DEFAULT_MAX_LIST_PAGES, firstPageUrl, nextPageUrl } from "./list-pages";

/** Which spec call an operation uses; also the word used in messages. */
type Operation = "create" | "verify" | "revoke" | "list";

/** A `Rotator` for any provider whose key API an `HttpRotatorSpec` describes. */
export class HttpSpecRotator implements Rotator {
    readonly label: string;
    readonly supportsExpiry: boolean;
    readonly canFindByName: boolean;
    readonly revokes = true;
    /**
     * The only host (with port) the admin credential is sent to. The rotator checks host and
     * port; the outbound client, given it as `credentialHost`, pins the host name.
     */
    readonly credentialHost: string;

    /**
     * `params` fill `{{params.NAME}}`. Throws when the create URL has no fixed host, or when the
     * spec needs an admin credential and `deps.admin` is absent: both are config errors that
     * validation reports first.
     */
    constructor(
        private readonly spec: HttpRotatorSpec,
        private readonly params: Record<string, string>,
        private readonly deps: RotatorDeps,
    ) {
        this.label = spec.label;
        this.supportsExpiry = usesExpiry(spec.create);
        this.canFindByName = spec.list !== undefined;
        const host = templateHost(spec.create.url, params);
        if (!host) {
            throw new Error(
                `${spec.label}: the create URL has no fixed host; write it as ` +
                    '"https://host/path" with the host spelled out or given by a param',
            );
        }
        this.credentialHost = host;
        const calls = [spec.create, spec.verify, spec.revoke, spec.list];
        if (!deps.admin && calls.some((call) => call && usesAdmin(call))) {
            throw new Error(
                `${spec.label}: the spec sends {{admin}} but the policy names no ` +
                    "adminSecret; add the ID of the secret holding the provider's admin credential",
            );
        }
    }

    async create(request: KeyRequest): Promise<IssuedKey> {
        const admin = await this.readAdmin();
        const expiresAt =
            this.supportsExpiry && request.expiresAt
                ? new Date(formatExpiry(request.expiresAt))
                : undefined;
        const values: TemplateValues = {
            admin,
            keyName: request.keyName,
            expiresAt: expiresAt && formatExpiry(expiresAt),
        };
        const response = await this.send("create", this.spec.create, values, false);
        if (!isOk(response.status, this.spec.create.okStatus)) {
            throw statusFailure(this.label, "create", response.status, "admin");
        }
        const secret = lookupPath(response.body, this.spec.create.keyPath);
        if (typeof secret !== "string" || secret === "") {
            throw badResponse(
                this.label,
                "create",
                response.status,
                `a key at "${this.spec.create.keyPath}"`,
                true,
            );
        }
        const keyId = lookupPath(response.body, this.spec.create.keyIdPath);
        if ((typeof keyId !== "string" && typeof keyId !== "number") || keyId === "") {
            throw badResponse(
                this.label,
                "create",
                response.status,
                `a key ID at "${this.spec.create.keyIdPath}"`,
                true,
            );
        }
        return { keyId: String(keyId), secret, expiresAt };
    }

    async verify(key: IssuedKey): Promise<void> {
        const { verify } = this.spec;
        const values: TemplateValues = { key: key.secret, keyId: key.keyId };
        const response = await this.send("verify", verify, values, true, [key.secret]);
        if (!isOk(response.status, verify.okStatus)) {
            throw statusFailure(this.label, "verify", response.status, "key");
        }
        if (verify.expectPath === undefined) return;
        const found = lookupPath(response.body, verify.expectPath);
        const passes =
            verify.expectValue === undefined
                ? found !== undefined && found !== null && found !== false
                : found === verify.expectValue;
        if (!passes) {
            throw new RotatorError(
                "key-rejected",
                `${this.label} verify answered HTTP ` +
                    `${response.status} but "${verify.expectPath}" does not show a working key; ` +
                    "the key must not be published",
                response.status,
            );
        }
    }

    async revoke(keyId: string): Promise<RevokeOutcome> {
        const { revoke } = this.spec;
        const admin = await this.readAdmin();
        const response = await this.send("revoke", revoke, { admin, keyId }, true);
        if ((revoke.goneStatus ?? [404]).includes(response.status)) return "already-revoked";
        if (!isOk(response.status, revoke.okStatus)) {
            throw statusFailure(this.label, "revoke", response.status, "admin");
        }
        return "revoked";
    }

    /**
     * IDs of listed keys named `keyName`, from every page of the list (see `list-pages.ts`).
     * Throws when the list cannot be read to its end: absence is only proven by a full read.
     */
    async findByName(keyName: string): Promise<string[]> {
        const { list } = this.spec;
        if (!list) {
            throw new RotatorError(
                "needs-human",
                `${this.label} has no list call, so keys ` +
                    "cannot be found by name; look for the key in the provider's console",
            );
        }
        const admin = await this.readAdmin();
        const maxPages = list.paging?.maxPages ?? DEFAULT_MAX_LIST_PAGES;
        const ids: string[] = [];
        // The URL each page was asked at: page 1 is the rendered list URL, later pages come
        // from the answers.
        let current = "";
        let page = (rendered: string) => (current = firstPageUrl(rendered, list.paging));
        for (let read = 1; ; read++) {
            const response = await this.send("list", list, { admin, keyName }, true, [], page);
            if (!isOk(response.status, list.okStatus)) {
                throw statusFailure(this.label, "list", response.status, "admin");
            }
            const items = this.pageItems(response);
            ids.push(...this.namedIds(items, keyName));
            let next: string | undefined;
            try {
                next = nextPageUrl(list.paging, response.body, current, items.length);
            } catch (error) {
                throw badResponse(
                    this.label,
                    "list",
                    response.status,
                    (error as Error).message,
                    false,
                );
            }
            if (next === undefined) return ids;
            if (read === maxPages) {
                throw new RotatorError(
                    "provider-error",
                    `${this.label} list has more than ${maxPages} pages; the search stopped ` +
                        "there, so a key of this name may exist unseen: raise " +
                        "list.paging.maxPages or revoke old keys at the provider",
                );
            }
            const following = next;
            page = () => (current = following);
        }
    }

    /** The key items of one list page. */
    private pageItems(response: TransportResponse): unknown[] {
        const { itemsPath } = this.spec.list!;
        const items = lookupPath(response.body, itemsPath);
        if (!Array.isArray(items)) {
            throw badResponse(
                this.label,
                "list",
                response.status,
                `an array at "${itemsPath}"`,
                false,
            );
        }
        return items;
    }

    /** IDs of the items whose name is `keyName`. */
    private namedIds(items: unknown[], keyName: string): string[] {
        const { namePath, idPath } = this.spec.list!;
        return items
            .filter((item) => lookupPath(item, namePath) === keyName)
            .map((item) => lookupPath(item, idPath))
            .filter((id): id is string | number => typeof id === "string" || typeof id === "number")
            .map(String);
    }

    private async readAdmin(): Promise<string | undefined> {
        return this.deps.admin ? this.deps.admin.read() : undefined;
    }

    /** Renders and sends one call, with the credential host and secrets the transport guards. */
    private async send(
        operation: Operation,
        call: HttpCall,
        values: TemplateValues,
        idempotent: boolean,
        extraSecrets: string[] = [],
        /**
         * Replaces the rendered URL: a list page after the first, or page 1 asked for by number.
         */
        pageUrl?: (rendered: string) => string,
    ): Promise<TransportResponse> {
        const secrets = [...adminSecrets(values.admin), ...extraSecrets];
        const full: TemplateValues = { ...values, params: this.params };
        let rendered: RenderedCall;
        try {
            rendered = renderCall(call, full);
        } catch (error) {
            throw this.templateFailure(operation, error);
        }
        if (pageUrl) rendered = { ...rendered, url: pageUrl(rendered.url) };
        const host = new URL(rendered.url).host;
        const carriesAdmin = usesAdmin(call);
        if (carriesAdmin && host !== this.credentialHost) {
            throw new RotatorError(
                "needs-human",
                `${this.label} ${operation} would send the ` +
                    `admin credential to ${host}, not to ${this.credentialHost} (the create ` +
                    `URL's ` +
                    "host); nothing was sent: fix the spec's URLs",
            );
        }
        return guarded(this.label, operation, secrets, () =>
            this.deps.http.request({
                ...rendered,
                idempotent,
                credentialHost: carriesAdmin ? this.credentialHost : host,
                secrets,
            }),
        );
    }

    private templateFailure(operation: Operation, error: unknown): RotatorError {
        if (!(error instanceof TemplateError)) throw error;
        return error.adminAtFault
            ? new RotatorError("admin-rejected", `${this.label} ${operation}: ${error.message}`)
            : new RotatorError(
                  "needs-human",
                  `${this.label} ${operation}: the spec cannot be ` + `filled in: ${error.message}`,
              );
    }
}
