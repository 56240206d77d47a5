/**
 * The rotators: from a policy's rotator config to the object that talks to the provider.
 *
 * `createRotator` is the only entry the protocol needs. Keys with a create API get a `Rotator`
 * (mode "automatic"); keys that only a person can replace get, at most, a `KeyChecker` (mode
 * "manual"), and the function tracks their age and reminds.
 */
import type { RotatorConfig } from "../policy/types";
import { GoogleApiKeyRotator } from "./google-api-key";
import { HttpSpecRotator } from "./http-spec";
import { manualChecker } from "./manual";
import { SlackTokenRotator } from "./oauth-refresh";
import { PRESETS, resolvePreset } from "./presets";
import type { KeyChecker, Rotator, RotatorDeps } from "./rotator";
import { validateRotatorConfig } from "./validate";

/** What a rotator config becomes. */
export type KeySource =
    { mode: "automatic"; rotator: Rotator } | { mode: "manual"; checker?: KeyChecker };

/** A rotator config that cannot be used; `problems` are the validation sentences. */
export class RotatorConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`the rotator config is invalid: ${problems.join("; ")}`);
        this.name = "RotatorConfigError";
    }
}

/**
 * Builds the rotator (or checker) a config describes. Throws `RotatorConfigError` when the
 * config is invalid. Plain http to loopback is accepted here because the transport decides
 * whether it may be used (the production client refuses it); `validateRotatorConfig` without
 * options is the strict check policies get.
 */
export function createRotator(config: RotatorConfig, deps: RotatorDeps): KeySource {
    const problems = validateRotatorConfig(config, "rotator", { allowLoopbackHttp: true });
    if (problems.length > 0) throw new RotatorConfigError(problems);
    switch (config.kind) {
        case "http": {
            if ("preset" in config) {
                const { spec, params } = resolvePreset(PRESETS[config.preset], config.params);
                return { mode: "automatic", rotator: new HttpSpecRotator(spec, params, deps) };
            }
            const rotator = new HttpSpecRotator(config.spec, config.params ?? {}, deps);
            return { mode: "automatic", rotator };
        }
        case "google-api-key":
            return { mode: "automatic", rotator: new GoogleApiKeyRotator(config, deps) };
        case "oauth-refresh":
            return { mode: "automatic", rotator: new SlackTokenRotator(config, deps) };
        case "manual":
            return { mode: "manual", checker: manualChecker(config, deps.http) };
    }
}

export { validateRotatorConfig, type UrlRules } from "./validate";
export { PRESETS } from "./presets";
export * from "./rotator";
