/**
 * The errors the emulator answers with, as gRPC statuses.
 *
 * A handler throws an `RpcError`; the server turns it into the status and message the official
 * client raises (its `code` is the gRPC status number, its `details` the message). Messages name
 * the request field at fault and say what would be accepted, like the real service's do, and
 * never echo a payload or an annotation value.
 */
import { status } from "@grpc/grpc-js";

/** A failure with the gRPC status the client will see. */
export class RpcError extends Error {
    /** The gRPC status code (for example `status.NOT_FOUND`, 5). */
    readonly code: status;

    constructor(code: status, message: string) {
        super(message);
        this.name = "RpcError";
        this.code = code;
    }
}

/** INVALID_ARGUMENT about one request field: `field` is named first so the caller finds it. */
export function invalidArgument(field: string, problem: string): RpcError {
    return new RpcError(status.INVALID_ARGUMENT, `${field}: ${problem}`);
}

/** NOT_FOUND for a secret or version resource name. */
export function notFound(what: "Secret" | "Secret Version", name: string): RpcError {
    return new RpcError(status.NOT_FOUND, `${what} [${name}] not found.`);
}

/** FAILED_PRECONDITION: the resource exists but is not in a state that allows the call. */
export function failedPrecondition(message: string): RpcError {
    return new RpcError(status.FAILED_PRECONDITION, message);
}

/** FAILED_PRECONDITION for an etag that does not match the stored one. */
export function etagMismatch(resource: string, given: string): RpcError {
    return failedPrecondition(
        `etag ${given} does not match the current etag of [${resource}]; ` +
            "read the resource again and retry with its current etag.",
    );
}

/** ALREADY_EXISTS for a secret ID taken in its project. */
export function alreadyExists(name: string): RpcError {
    return new RpcError(status.ALREADY_EXISTS, `Secret [${name}] already exists.`);
}

/** UNIMPLEMENTED for the methods the emulator does not serve (IAM, managed rotation). */
export function unimplemented(method: string): RpcError {
    return new RpcError(
        status.UNIMPLEMENTED,
        `${method} is not implemented by the Secret Manager emulator.`,
    );
}
