/**
 * Declares a rotated secret in a Secret Manager (the emulator) the way the bot component does
 * with Pulumi: the key's secret with the managed labels and the policy annotation, its companion
 * state secret with no versions and no annotations, and the admin-credential secret. Tests and
 * the sandbox use it in place of `pulumi up`.
 */
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import {
    FLEET_LABEL,
    POLICY_ANNOTATION,
    ROLE_LABEL,
    RotationPolicy,
} from "../../functions/rotator/policy/types";
import { validatePolicy } from "../../functions/rotator/policy/validate";

/** What to declare for one bot key. */
export interface SeedSecret {
    project: string;
    fleet: string;
    /** The key secret's ID; the state secret is `${id}-state`, the admin secret `${id}-admin`. */
    id: string;
    /** The policy, without `stateSecret` and `adminSecret`, which are derived from `id`. */
    policy: Omit<RotationPolicy, "stateSecret" | "adminSecret" | "schema"> & { schema?: 1 };
    /** The admin credential to store, when the rotator needs one. */
    adminCredential?: string;
    /** An initial key, published as version 1 (as the component's `initialValue` does). */
    initialKey?: string;
    /** Delayed destruction of versions, in seconds (the component sets one by default). */
    versionDestroyTtlSeconds?: number;
}

/** Names of what `seedSecret` created. */
export interface SeededSecret {
    keySecret: string;
    stateSecret: string;
    adminSecret?: string;
    policy: RotationPolicy;
}

/** Creates the secrets; throws with the policy's problems when it is invalid. */
export async function seedSecret(
    client: SecretManagerServiceClient,
    seed: SeedSecret,
): Promise<SeededSecret> {
    const parent = `projects/${seed.project}`;
    const stateId = `${seed.id}-state`;
    const adminId = seed.adminCredential !== undefined ? `${seed.id}-admin` : undefined;
    const policy = {
        schema: 1,
        ...seed.policy,
        stateSecret: stateId,
        adminSecret: adminId,
    } as RotationPolicy;
    if (adminId === undefined) delete policy.adminSecret;
    const check = validatePolicy(policy, { allowLoopbackHttp: true });
    if (!check.policy)
        throw new Error(`invalid policy for ${seed.id}: ${check.problems.join("; ")}`);

    const replication = { automatic: {} };
    const ttl = seed.versionDestroyTtlSeconds;
    await client.createSecret({
        parent,
        secretId: seed.id,
        secret: {
            replication,
            labels: { [FLEET_LABEL]: seed.fleet, [ROLE_LABEL]: "key" },
            annotations: { [POLICY_ANNOTATION]: JSON.stringify(policy) },
            versionDestroyTtl: ttl ? { seconds: ttl } : undefined,
        },
    });
    await client.createSecret({
        parent,
        secretId: stateId,
        secret: {
            replication,
            labels: { [FLEET_LABEL]: seed.fleet, [ROLE_LABEL]: "state" },
        },
    });
    if (adminId) {
        await client.createSecret({
            parent,
            secretId: adminId,
            secret: { replication, labels: { [FLEET_LABEL]: seed.fleet, [ROLE_LABEL]: "admin" } },
        });
        await client.addSecretVersion({
            parent: `${parent}/secrets/${adminId}`,
            payload: { data: Buffer.from(seed.adminCredential!, "utf8") },
        });
    }
    if (seed.initialKey !== undefined) {
        await client.addSecretVersion({
            parent: `${parent}/secrets/${seed.id}`,
            payload: { data: Buffer.from(seed.initialKey, "utf8") },
        });
    }
    return {
        keySecret: `${parent}/secrets/${seed.id}`,
        stateSecret: `${parent}/secrets/${stateId}`,
        adminSecret: adminId ? `${parent}/secrets/${adminId}` : undefined,
        policy,
    };
}
