/**
 * Aiming a Secret Manager fault at one step of the protocol. The emulator's `failNext` fails the
 * next calls of a method; a rotation makes several calls of the same method (five UpdateSecret
 * calls: lock, created, publishing, aliases, promote), so the fault tests need "the Nth call
 * from now" instead.
 */
import { status } from "@grpc/grpc-js";
import type { SecretManagerEmulator, SecretManagerMethod } from "../../../standins/secret-manager";

/** A fault aimed by `failNthCall`. */
export interface AimedFault {
    /** Whether the aimed call has happened (and failed). */
    fired(): boolean;
    /** Stops watching; later calls run as usual. */
    restore(): void;
}

/**
 * Makes the `nth` call of `method` from now on fail with `code` (default UNAVAILABLE) and change
 * nothing; every other call runs as usual.
 */
export function failNthCall(
    emulator: SecretManagerEmulator,
    method: SecretManagerMethod,
    nth: number,
    code = status.UNAVAILABLE,
): AimedFault {
    const faults = emulator.faults;
    const original = faults.takeFailure.bind(faults);
    let seen = 0;
    faults.takeFailure = (called) => {
        if (called === method && ++seen === nth) {
            return { code, message: `injected ${status[code]} on ${method} call ${nth}` };
        }
        return original(called);
    };
    return {
        fired: () => seen >= nth,
        restore: () => {
            faults.takeFailure = original;
        },
    };
}
