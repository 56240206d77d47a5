/**
 * One safe line about a failure, for logs, answers and Slack. The errors that reach it (the
 * outbound layer's, the rotators', Secret Manager's) carry no key material by construction.
 */
export function describeError(error: unknown, fallback = "unknown error"): string {
    return error instanceof Error ? error.message : fallback;
}
