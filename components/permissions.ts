/**
 * The IAM permissions the rotator holds, in one place so that the roles, the documentation and
 * the least-privilege tests read the same lists.
 */

/**
 * At project level, the rotator may only list secrets (with their labels and annotations), so
 * that one tick finds every secret labelled with its fleet, including secrets declared by
 * other stacks. Listing never returns a payload.
 */
export const PROJECT_PERMISSIONS = ["secretmanager.secrets.list"] as const;

/**
 * On each key's secret: read and update it (version aliases `current` and `previous`), add the
 * new key as a version, read versions back, and disable or destroy retired ones. No predefined
 * role has exactly these: `secretVersionManager` cannot read payloads or update the secret.
 */
export const KEY_SECRET_PERMISSIONS = [
    "secretmanager.secrets.get",
    "secretmanager.secrets.update",
    "secretmanager.versions.access",
    "secretmanager.versions.add",
    "secretmanager.versions.destroy",
    "secretmanager.versions.disable",
    "secretmanager.versions.enable",
    "secretmanager.versions.get",
    "secretmanager.versions.list",
] as const;

/**
 * On each state secret: read and update it, because the rotation state lives in its
 * annotations and its etag is the rotation lock. It never has versions.
 */
export const STATE_SECRET_PERMISSIONS = [
    "secretmanager.secrets.get",
    "secretmanager.secrets.update",
] as const;

/** Role of a bot's identity on its own keys' secrets, and of the rotator on admin secrets. */
export const SECRET_ACCESSOR = "roles/secretmanager.secretAccessor";

/**
 * Extra role of the rotator on the admin secret of an `oauth-refresh` rotator: it stores each
 * new single-use refresh token there before publishing the access token, then destroys the
 * versions holding spent tokens (each kept version is billed). Adds, lists and destroys
 * versions; it cannot read payloads (the accessor role above does).
 */
export const SECRET_VERSION_MANAGER = "roles/secretmanager.secretVersionManager";

/**
 * Role of the rotator on each project listed in `apiKeyProjects`, for `google-api-key`
 * rotators (the API Keys API has no narrower predefined role).
 */
export const API_KEYS_ADMIN = "roles/serviceusage.apiKeysAdmin";

/** Role that lets a caller invoke the function's Cloud Run service (2nd gen functions). */
export const RUN_INVOKER = "roles/run.invoker";
