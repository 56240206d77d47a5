/**
 * The DNS lookup the outbound agents connect through.
 *
 * Checking a host name's addresses before the request and then letting the socket resolve it
 * again leaves a gap: a name with a short TTL can answer with a public address for the check
 * and with 169.254.169.254 for the connection (DNS rebinding). Here the check runs inside the
 * lookup the socket itself uses, on exactly the addresses it will connect to, on every
 * connection. If any address of the answer is refused, the whole answer is refused: a mixed
 * answer is either a misconfiguration or an attack.
 */
import { promises as dns, type LookupAddress, type LookupOptions } from "node:dns";
import { ADDRESS_CLASS_DESCRIPTIONS, refusedAddressClass } from "./address-policy";
import type { ResolvedAddress, Resolver } from "./types";

/** Raised inside a socket's lookup when an address is refused; the client maps it. */
export class BlockedAddressError extends Error {
    /** The refused address (an IP, safe to log). */
    readonly address: string;

    /** `description` says what kind of address it is, e.g. "a private network address". */
    constructor(address: string, description: string) {
        super(`the host resolves to ${address}, ${description}`);
        this.name = "BlockedAddressError";
        this.address = address;
    }
}

/** The resolver used when none is injected: the system resolver, every address. */
export const systemResolver: Resolver = async (hostname) => {
    const answers = await dns.lookup(hostname, { all: true, verbatim: true });
    return answers.map((answer) => ({
        address: answer.address,
        family: answer.family === 6 ? 6 : 4,
    }));
};

type LookupCallback = (
    error: NodeJS.ErrnoException | null,
    address: string | LookupAddress[],
    family?: number,
) => void;

/** A function with the signature `net.connect` expects for its `lookup` option. */
export type SocketLookup = (
    hostname: string,
    options: LookupOptions,
    callback: LookupCallback,
) => void;

/**
 * Builds a socket lookup that resolves with `resolve` and refuses any answer holding an address
 * outside policy. `loopbackOnly` is for the plain-http agent: http is allowed only to loopback,
 * so there every address must be loopback.
 */
export function guardedLookup(
    resolve: Resolver,
    allowLoopback: boolean,
    loopbackOnly: boolean,
): SocketLookup {
    const check = (answer: ResolvedAddress): BlockedAddressError | undefined => {
        const refused = refusedAddressClass(answer.address, allowLoopback);
        if (refused) {
            return new BlockedAddressError(answer.address, ADDRESS_CLASS_DESCRIPTIONS[refused]);
        }
        if (loopbackOnly && refusedAddressClass(answer.address, false) !== "loopback") {
            return new BlockedAddressError(
                answer.address,
                "which is not loopback, and plain http may only reach loopback",
            );
        }
        return undefined;
    };
    return (hostname, options, callback) => {
        resolve(hostname).then(
            (answers) => {
                const wanted = answers.filter(
                    (answer) => !options.family || answer.family === options.family,
                );
                if (wanted.length === 0) {
                    const error: NodeJS.ErrnoException = new Error("no address for the host");
                    error.code = "ENOTFOUND";
                    callback(error, "");
                    return;
                }
                const blocked = wanted.map(check).find((result) => result !== undefined);
                if (blocked) {
                    callback(blocked, "");
                } else if (options.all) {
                    callback(null, wanted);
                } else {
                    callback(null, wanted[0].address, wanted[0].family);
                }
            },
            (error: NodeJS.ErrnoException) => callback(error, ""),
        );
    };
}
