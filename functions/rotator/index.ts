/**
 * The deployable entry point: Cloud Functions (2nd gen) calls the exported `keywarden` for every
 * request (entry point `keywarden`, Node.js 24 runtime). Configuration comes from the
 * environment; see config.ts.
 */
import { readConfig } from "./config";
import { AppRuntime, createHandler } from "./http/app";
import { buildRuntime } from "./runtime";

let runtime: Promise<AppRuntime> | undefined;

/** Builds the engine once per instance, on the first request. */
function getRuntime(): Promise<AppRuntime> {
    runtime ??= (async () => buildRuntime(readConfig()))();
    return runtime;
}

/** The HTTP function. */
export const keywarden = createHandler(getRuntime);
