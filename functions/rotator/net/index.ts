/**
 * The rotator's outbound HTTP layer: one policy-enforcing client for provider APIs, health
 * checks and Slack. Import from here, not from the files behind it.
 */
export { OutboundClient } from "./outbound-client";
export { OutboundError, type OutboundErrorCode, type OutboundErrorDetails } from "./errors";
export { classifyAddress, type AddressClass } from "./address-policy";
export { isLoopbackHost, normalizeHost, redactUrl } from "./url-policy";
export type {
    BasicAuth,
    HttpMethod,
    OutboundOptions,
    OutboundRequest,
    OutboundResponse,
    ResolvedAddress,
    Resolver,
} from "./types";
