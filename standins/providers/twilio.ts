/**
 * Fake Twilio API keys (IAM v1 `/v1/Keys`) with the verify call and the bot's use call of the
 * 2010-04-01 REST API.
 *
 * The real service has two hosts: iam.twilio.com (`/v1/Keys`) and api.twilio.com
 * (`/2010-04-01/...`). Their paths do not overlap, so this one fake serves both: point both base
 * URLs at `baseUrl`.
 *
 * Key management takes HTTP Basic `AccountSid:AuthToken` and form-encoded bodies. The verify call
 * `GET /2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json` takes Basic `SK...:secret`; as on the
 * real API, a standard key gets 401 on `/Accounts/{sid}.json` itself, so that is no verify call.
 * Use: `POST /2010-04-01/Accounts/{sid}/Messages.json` (form `To`, `Body`, `From`) -> 201.
 * Error codes follow Twilio's numbering (20003 authenticate, 20404 not found); the one for bad
 * parameters (20001) and the 415 for a non-form body are this fake's choice.
 */
import type { IssuedKey, KeyRegister } from "./register";
import type { Clock } from "./clock";
import { randomChars, randomHex, rfc2822 } from "./ids";
import {
    ProviderError,
    basicAuth,
    formBody,
    route,
    type Dialect,
    type FakeRequest,
    type Route,
} from "./routing";
import { startFake, type FakeBase, type FakeOptions } from "./server";

/** Options of the fake Twilio. */
export interface FakeTwilioOptions extends FakeOptions {
    /** Default: `AC` + 32 random hex. */
    accountSid?: string;
    /** Default: 32 random hex. */
    authToken?: string;
}

/** A running fake Twilio (IAM and REST API on one server). */
export interface FakeTwilio extends FakeBase {
    readonly admin: { readonly accountSid: string; readonly authToken: string };
    /** Issues a standard API key as the Console would. */
    seedKey(friendlyName?: string): IssuedKey;
}

/** Operation names of the fake Twilio. */
export const TWILIO_OPERATIONS = [
    "create",
    "list",
    "get",
    "revoke",
    "verify",
    "account",
    "use",
] as const;

const CODES: Record<number, number> = {
    400: 20001,
    401: 20003,
    403: 20003,
    404: 20404,
    405: 20004,
    415: 20001,
    429: 20429,
};

/** Twilio's error shape: `{"code", "message", "more_info", "status"}`. */
export const twilioDialect: Dialect = {
    error: (status, message) => {
        const code = CODES[status] ?? 20500;
        return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
    },
};

function issueKey(register: KeyRegister, clock: Clock, name: string, policy: unknown): IssuedKey {
    const created = rfc2822(clock.now());
    return register.issue({
        id: `SK${randomHex(16)}`,
        secret: randomChars(32),
        name,
        attributes: { date_created: created, policy },
    });
}

function describe(key: IssuedKey) {
    const created = key.attributes.date_created;
    return { sid: key.id, friendly_name: key.name, date_created: created, date_updated: created };
}

/** Starts a fake Twilio on 127.0.0.1. */
export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
    const admin = {
        accountSid: options.accountSid ?? `AC${randomHex(16)}`,
        authToken: options.authToken ?? randomHex(16),
    };
    const base = await startFake(options, {
        name: "twilio",
        dialect: twilioDialect,
        operations: TWILIO_OPERATIONS,
        routes: ({ register, clock }) => twilioRoutes(register, clock, admin),
    });
    return {
        ...base,
        admin,
        seedKey: (name = "bot-key") => issueKey(base.register, base.clock, name, null),
    };
}

function twilioRoutes(
    register: KeyRegister,
    clock: Clock,
    admin: { accountSid: string; authToken: string },
): Route[] {
    const unauthorized = () => new ProviderError(401, "Authenticate");
    /** "admin" for the account's own credentials, "key" for a working API key. */
    const authenticate = (req: FakeRequest): "admin" | "key" => {
        const basic = basicAuth(req);
        if (basic?.user === admin.accountSid && basic.password === admin.authToken) return "admin";
        const key = basic && register.find(basic.user);
        if (key && key.secret === basic.password && register.isValid(key)) return "key";
        throw unauthorized();
    };
    const requireAdmin = (req: FakeRequest) => {
        if (authenticate(req) !== "admin") throw unauthorized();
    };
    const requireAccount = (sid: string | null | undefined, field: string) => {
        if (sid === null || sid === undefined) {
            throw new ProviderError(400, `Required parameter ${field} missing.`);
        }
        if (sid !== admin.accountSid) throw new ProviderError(403, `${field} is not your account.`);
    };
    const ownKey = (req: FakeRequest) => {
        const key = register.find(req.params.sid);
        if (!key || key.revokedAt !== undefined) {
            throw new ProviderError(404, "The requested resource was not found");
        }
        return key;
    };
    const form = (req: FakeRequest, allowed: string[]) => {
        const params = formBody(req);
        const unknown = [...params.keys()].filter((k) => !allowed.includes(k));
        if (unknown.length > 0) {
            throw new ProviderError(
                400,
                `Unknown parameter(s) ${unknown.join(", ")}; ` + `accepted: ${allowed.join(", ")}.`,
            );
        }
        return params;
    };
    const api = "/2010-04-01/Accounts/{account}";
    return [
        route("POST", "/v1/Keys", "create", (req) => {
            requireAdmin(req);
            const params = form(req, ["AccountSid", "FriendlyName", "KeyType", "Policy"]);
            requireAccount(params.get("AccountSid"), "AccountSid");
            const name = params.get("FriendlyName") ?? "";
            if (name.length > 64) {
                throw new ProviderError(400, "FriendlyName must be at most 64 characters.");
            }
            const keyType = params.get("KeyType");
            if (keyType !== null && keyType !== "restricted") {
                throw new ProviderError(400, "KeyType must be `restricted` or omitted.");
            }
            if ((keyType === "restricted") !== params.has("Policy")) {
                throw new ProviderError(
                    400,
                    "Policy is required with KeyType=restricted, and only then.",
                );
            }
            let policy: unknown = null;
            try {
                policy = params.has("Policy") ? JSON.parse(params.get("Policy")!) : null;
            } catch {
                throw new ProviderError(400, "Policy must be a JSON document.");
            }
            const key = issueKey(register, clock, name, policy);
            const body = { ...describe(key), secret: key.secret, policy };
            return { status: 201, body, secret: key.secret };
        }),
        route("GET", "/v1/Keys", "list", (req) => {
            requireAdmin(req);
            requireAccount(req.query.get("AccountSid"), "AccountSid");
            // Pages as the service does: `PageSize` up to 1,000 (default 50), and a
            // `next_page_url` on the service's own host that carries the next page's number.
            const pageSize = Math.min(1000, Math.max(1, Number(req.query.get("PageSize") ?? 50)));
            const page = Math.max(0, Number(req.query.get("Page") ?? 0));
            const all = register.existing();
            const keys = all.slice(page * pageSize, (page + 1) * pageSize).map(describe);
            const base = `http://${req.headers.host}/v1/Keys?AccountSid=${admin.accountSid}`;
            const pageUrl = (n: number) => `${base}&PageSize=${pageSize}&Page=${n}`;
            const meta = {
                page,
                page_size: pageSize,
                first_page_url: pageUrl(0),
                previous_page_url: page > 0 ? pageUrl(page - 1) : null,
                url: pageUrl(page),
                next_page_url: (page + 1) * pageSize < all.length ? pageUrl(page + 1) : null,
                key: "keys",
            };
            return { status: 200, body: { keys, meta } };
        }),
        route("GET", "/v1/Keys/{sid}", "get", (req) => {
            requireAdmin(req);
            const key = ownKey(req);
            return { status: 200, body: { ...describe(key), policy: key.attributes.policy } };
        }),
        route("DELETE", "/v1/Keys/{sid}", "revoke", (req) => {
            requireAdmin(req);
            register.revoke(ownKey(req).id);
            return { status: 204 };
        }),
        route("GET", `${api}/IncomingPhoneNumbers.json`, "verify", (req) => {
            authenticate(req);
            if (req.params.account !== admin.accountSid) throw unauthorized();
            const pageSize = Number(req.query.get("PageSize") ?? 50);
            const uri = `${req.path}?PageSize=${pageSize}&Page=0`;
            return {
                status: 200,
                body: {
                    incoming_phone_numbers: [],
                    page: 0,
                    page_size: pageSize,
                    start: 0,
                    end: 0,
                    first_page_uri: uri,
                    uri,
                    next_page_uri: null,
                    previous_page_uri: null,
                },
            };
        }),
        route("GET", `${api}.json`, "account", (req) => {
            if (authenticate(req) !== "admin" || req.params.account !== admin.accountSid) {
                throw unauthorized();
            }
            const sid = admin.accountSid;
            const body = { sid, status: "active", type: "Full", friendly_name: "bots" };
            return { status: 200, body };
        }),
        route("POST", `${api}/Messages.json`, "use", (req) => {
            authenticate(req);
            if (req.params.account !== admin.accountSid) throw unauthorized();
            const params = form(req, ["To", "From", "MessagingServiceSid", "Body"]);
            if (!params.get("To")) throw new ProviderError(400, "A 'To' phone number is required.");
            if (!params.get("From") && !params.get("MessagingServiceSid")) {
                throw new ProviderError(
                    400,
                    "A 'From' phone number or MessagingServiceSid is required.",
                );
            }
            const sid = `SM${randomHex(16)}`;
            return { status: 201, body: { sid, account_sid: admin.accountSid, status: "queued" } };
        }),
    ];
}
