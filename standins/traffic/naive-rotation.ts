/**
 * The usual home-made rotation script, implemented honestly so that its failures can be
 * measured: create a key with the admin API, write it as a new secret version, sleep, revoke the
 * old key. It does nothing wrong step by step; what breaks bots is the sleep. Every bot that has
 * not re-read its key when the sleep ends calls with a revoked key until its next read.
 *
 * (It also leaves an orphan when it dies between create and revoke; that is not simulated here.)
 */
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";

/** The two key-management calls the script needs from a provider. */
export interface KeyAdminApi {
    /** Creates a key named `name`; resolves with its ID and the key itself. */
    create(name: string): Promise<{ keyId: string; key: string }>;
    /** Revokes a key by ID. */
    revoke(keyId: string): Promise<void>;
}

/** What the script works on. */
export interface NaiveRotationOptions {
    api: KeyAdminApi;
    client: SecretManagerServiceClient;
    /** The key's secret, `projects/P/secrets/ID`; bots read its `latest` version. */
    secretName: string;
    /** The script's sleep between publishing the new key and revoking the old one. */
    sleepMs: number;
}

/** One run of the script: the key it published and the key it revoked. */
export interface NaiveRotation {
    newKeyId: string;
    revokedKeyId: string;
}

/**
 * Rotates once: create, publish as the newest version, sleep `sleepMs`, revoke `oldKeyId`.
 * Like most such scripts it remembers the old key's ID from its previous run.
 */
export async function naiveRotate(
    options: NaiveRotationOptions,
    oldKeyId: string,
    name: string,
): Promise<NaiveRotation> {
    const { keyId, key } = await options.api.create(name);
    await options.client.addSecretVersion({
        parent: options.secretName,
        payload: { data: Buffer.from(key, "utf8") },
    });
    await new Promise((resolve) => setTimeout(resolve, options.sleepMs));
    await options.api.revoke(oldKeyId);
    return { newKeyId: keyId, revokedKeyId: oldKeyId };
}

/**
 * Runs the script `times` times, starting from the key `firstKeyId`, waiting `restMs` before
 * each run (a cron job runs it now and then, not back to back).
 */
export async function naiveRotations(
    options: NaiveRotationOptions,
    firstKeyId: string,
    times: number,
    restMs = 0,
): Promise<NaiveRotation[]> {
    const runs: NaiveRotation[] = [];
    let current = firstKeyId;
    for (let run = 1; run <= times; run++) {
        await new Promise((resolve) => setTimeout(resolve, restMs));
        const done = await naiveRotate(options, current, `rotated-by-script-${run}`);
        runs.push(done);
        current = done.newKeyId;
    }
    return runs;
}
