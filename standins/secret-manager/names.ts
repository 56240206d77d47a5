/**
 * Resource names: `projects/{project}` (or `projects/{project}/locations/{location}` for
 * regional secrets), `.../secrets/{secret}` and `.../secrets/{secret}/versions/{version}`.
 *
 * The project is kept exactly as given: the real service accepts a project ID or a project
 * number, and the emulator, having no project registry, treats the two as different projects.
 */
import { invalidArgument } from "./errors";

const SEGMENT = "[^/]+";
const PARENT = `projects/${SEGMENT}(?:/locations/${SEGMENT})?`;
const PARENT_NAME = new RegExp(`^${PARENT}$`);
const SECRET_NAME = new RegExp(`^(${PARENT})/secrets/(${SEGMENT})$`);
const VERSION_NAME = new RegExp(`^(${PARENT}/secrets/${SEGMENT})/versions/(${SEGMENT})$`);

/** A parsed secret name. */
export interface SecretName {
    /** `projects/p` or `projects/p/locations/l`. */
    parent: string;
    /** The secret ID, the last segment. */
    secretId: string;
    /** The whole name. */
    name: string;
}

/** A parsed version name; `version` is a number, `latest` or an alias, not yet resolved. */
export interface VersionName {
    secretName: string;
    version: string;
}

/** Checks a project (or project and location) name given in `field`. */
export function parseParent(value: string | undefined, field: string): string {
    if (!value || !PARENT_NAME.test(value)) {
        throw invalidArgument(
            field,
            `must be "projects/{project}" or "projects/{project}/locations/{location}", ` +
                `got ${JSON.stringify(value ?? "")}`,
        );
    }
    return value;
}

/** Parses a secret name given in `field`. */
export function parseSecretName(value: string | undefined, field: string): SecretName {
    const match = value ? SECRET_NAME.exec(value) : null;
    if (!value || !match) {
        throw invalidArgument(
            field,
            `must be "projects/{project}/secrets/{secret}", got ${JSON.stringify(value ?? "")}`,
        );
    }
    return { parent: match[1], secretId: match[2], name: value };
}

/** Parses a version name given in `field`. */
export function parseVersionName(value: string | undefined, field: string): VersionName {
    const match = value ? VERSION_NAME.exec(value) : null;
    if (!value || !match) {
        throw invalidArgument(
            field,
            `must be "projects/{project}/secrets/{secret}/versions/{version}" where {version} ` +
                `is a number, "latest" or an alias, got ${JSON.stringify(value ?? "")}`,
        );
    }
    return { secretName: match[1], version: match[2] };
}

/** Whether a parent names a regional location (`projects/p/locations/l`). */
export function isRegional(parent: string): boolean {
    return parent.includes("/locations/");
}
