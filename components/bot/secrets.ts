/**
 * A bot's secrets: for each key, the key's secret (payload = the raw key; policy in one
 * annotation), its companion state secret (annotations written by the function only), an
 * optional admin-credential secret, and the IAM bindings on those secrets and no others.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { FLEET_LABEL, POLICY_ANNOTATION, ROLE_LABEL } from "../../functions/rotator/policy/types";
import { FleetConnection } from "../fleet/args";
import { BOT_LABEL } from "../names";
import { SECRET_ACCESSOR, SECRET_VERSION_MANAGER } from "../permissions";
import { guardedReader } from "./readers";
import { BotSettings, SecretSettings } from "./settings";

/** The secrets declared for one key. */
export interface DeclaredSecret {
    key: gcp.secretmanager.Secret;
    state: gcp.secretmanager.Secret;
}

/** Declares every key of the bot; returns them by short name. */
export function declareBotSecrets(
    name: string,
    bot: BotSettings,
    fleet: pulumi.Output<FleetConnection>,
    opts: pulumi.CustomResourceOptions,
): Record<string, DeclaredSecret> {
    const declared: Record<string, DeclaredSecret> = {};
    const rotator = pulumi.interpolate`serviceAccount:${fleet.rotatorEmail}`;
    for (const secret of bot.secrets) {
        const prefix = `${name}-${secret.key}`;
        declared[secret.key] = declareKey(prefix, bot, secret, fleet, rotator, opts);
    }
    return declared;
}

function declareKey(
    prefix: string,
    bot: BotSettings,
    secret: SecretSettings,
    fleet: pulumi.Output<FleetConnection>,
    rotator: pulumi.Output<string>,
    opts: pulumi.CustomResourceOptions,
): DeclaredSecret {
    const project = fleet.project;
    const replication =
        bot.replicaLocations === undefined
            ? { auto: {} }
            : { userManaged: { replicas: bot.replicaLocations.map((location) => ({ location })) } };
    const labels = (role: string) => ({
        [FLEET_LABEL]: fleet.fleetName,
        [ROLE_LABEL]: role,
        [BOT_LABEL]: bot.botName,
    });

    const key = new gcp.secretmanager.Secret(
        prefix,
        {
            project,
            secretId: secret.secretId,
            replication,
            labels: labels("key"),
            annotations: { [POLICY_ANNOTATION]: secret.policyJson },
            // Destroying a retired version first disables it; it stays restorable for this long.
            versionDestroyTtl: bot.versionDestroyTtl,
            deletionProtection: bot.deletionProtection,
        },
        {
            ...opts,
            // The aliases `current` and `previous` belong to the function (it moves them on every
            // rotation); Pulumi must neither reset nor report them as drift.
            ignoreChanges: ["versionAliases"],
        },
    );
    // The function's state lives in this secret's annotations. Pulumi declares none and ignores
    // them: when Pulumi updates a secret it writes back the whole annotation map it last saw,
    // which would roll back the function's state (that is why the state is not on `key`).
    const state = new gcp.secretmanager.Secret(
        `${prefix}-state`,
        {
            project,
            secretId: secret.stateSecretId,
            replication,
            labels: labels("state"),
            deletionProtection: bot.deletionProtection,
        },
        { ...opts, ignoreChanges: ["annotations"] },
    );

    new gcp.secretmanager.SecretIamMember(
        `${prefix}-rotator`,
        {
            project,
            secretId: key.secretId,
            role: fleet.keySecretRole,
            member: rotator,
        },
        opts,
    );
    new gcp.secretmanager.SecretIamMember(
        `${prefix}-state-rotator`,
        {
            project,
            secretId: state.secretId,
            role: fleet.stateSecretRole,
            member: rotator,
        },
        opts,
    );
    bot.readers.forEach((member, index) => {
        new gcp.secretmanager.SecretIamMember(
            `${prefix}-reader-${index}`,
            {
                project,
                secretId: key.secretId,
                role: SECRET_ACCESSOR,
                member: guardedReader(member, `readers[${index}]`),
            },
            opts,
        );
    });
    if (secret.initialValue !== undefined) {
        new gcp.secretmanager.SecretVersion(
            `${prefix}-initial`,
            {
                secret: key.id,
                secretData: pulumi.secret(secret.initialValue),
                // Removing initialValue later must not destroy a version bots may still use.
                deletionPolicy: "ABANDON",
            },
            {
                ...opts,
                // Written once: a changed value, or a version the function has since disabled or
                // destroyed, must never make `pulumi up` publish this value again.
                ignoreChanges: ["secretData", "enabled"],
                retainOnDelete: true,
            },
        );
    }
    declareAdmin(prefix, secret, project, replication, bot.botName, rotator, opts);
    return { key, state };
}

/** The admin credential's secret, created from a value or existing: only the rotator reads it. */
function declareAdmin(
    prefix: string,
    secret: SecretSettings,
    project: pulumi.Output<string>,
    replication: gcp.types.input.secretmanager.SecretReplication,
    botName: string,
    rotator: pulumi.Output<string>,
    opts: pulumi.CustomResourceOptions,
) {
    if (secret.adminSecretId === undefined) return;
    let secretId: pulumi.Input<string> = secret.adminSecretId;
    if (secret.adminValue !== undefined) {
        // No fleet label: the tick must not take the admin credential for a key to rotate.
        const admin = new gcp.secretmanager.Secret(
            `${prefix}-admin`,
            {
                project,
                secretId: secret.adminSecretId,
                replication,
                labels: { [BOT_LABEL]: botName },
            },
            opts,
        );
        new gcp.secretmanager.SecretVersion(
            `${prefix}-admin-value`,
            {
                secret: admin.id,
                secretData: pulumi.secret(secret.adminValue),
            },
            secret.adminWritable
                ? // The OAuth rotator stores each new single-use refresh token as a new version;
                  // the configured value is only the first one and must never be written again.
                  { ...opts, ignoreChanges: ["secretData", "enabled"], retainOnDelete: true }
                : opts,
        );
        secretId = admin.secretId;
    }
    new gcp.secretmanager.SecretIamMember(
        `${prefix}-admin-rotator`,
        {
            project,
            secretId,
            role: SECRET_ACCESSOR,
            member: rotator,
        },
        opts,
    );
    if (secret.adminWritable) {
        new gcp.secretmanager.SecretIamMember(
            `${prefix}-admin-rotator-writer`,
            {
                project,
                secretId,
                role: SECRET_VERSION_MANAGER,
                member: rotator,
            },
            opts,
        );
    }
}
