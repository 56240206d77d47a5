/**
 * The fleet's identities and the roles that bound them: the rotator (the function's runtime
 * service account), the scheduler's caller identity, and the custom roles bots bind on their
 * own secrets.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import {
    API_KEYS_ADMIN,
    KEY_SECRET_PERMISSIONS,
    PROJECT_PERMISSIONS,
    STATE_SECRET_PERMISSIONS,
} from "../permissions";
import { FleetSettings } from "./settings";

/** The fleet's service accounts and the custom roles bots refer to. */
export interface FleetIdentities {
    rotator: gcp.serviceaccount.Account;
    scheduler: gcp.serviceaccount.Account;
    keySecretRole: gcp.projects.IAMCustomRole;
    stateSecretRole: gcp.projects.IAMCustomRole;
}

/** Declares the service accounts, the custom roles and the rotator's project-level grants. */
export function declareIdentities(
    name: string,
    settings: FleetSettings,
    opts: pulumi.CustomResourceOptions,
): FleetIdentities {
    const { project, fleetName, names } = settings;
    const rotator = new gcp.serviceaccount.Account(
        `${name}-rotator`,
        {
            project,
            accountId: names.rotatorAccount,
            displayName: `keywarden rotator (${fleetName})`,
            description:
                "Runs the keywarden function; holds rights only on the fleet's own secrets.",
        },
        opts,
    );
    const scheduler = new gcp.serviceaccount.Account(
        `${name}-scheduler`,
        {
            project,
            accountId: names.schedulerAccount,
            displayName: `keywarden tick caller (${fleetName})`,
            description: "Identity of the Cloud Scheduler job; may only invoke the function.",
        },
        opts,
    );

    // Project-wide, the rotator can list secret metadata and nothing else: reading or changing
    // a secret needs the per-secret roles below, bound by each bot on its own secrets.
    const listRole = customRole(
        `${name}-list-role`,
        project,
        names.listRole,
        `keywarden ${fleetName}: list secrets`,
        PROJECT_PERMISSIONS,
        opts,
    );
    new gcp.projects.IAMMember(
        `${name}-rotator-list`,
        {
            project,
            role: listRole.name,
            member: rotator.member,
        },
        opts,
    );
    const keySecretRole = customRole(
        `${name}-key-secret-role`,
        project,
        names.keySecretRole,
        `keywarden ${fleetName}: rotate a key's secret`,
        KEY_SECRET_PERMISSIONS,
        opts,
    );
    const stateSecretRole = customRole(
        `${name}-state-secret-role`,
        project,
        names.stateSecretRole,
        `keywarden ${fleetName}: keep rotation state`,
        STATE_SECRET_PERMISSIONS,
        opts,
    );

    // Only where a google-api-key rotator manages keys; granted here, once per project, because
    // a per-bot grant would be removed for every bot when any one of them is deleted.
    for (const keyProject of settings.apiKeyProjects) {
        new gcp.projects.IAMMember(
            `${name}-api-keys-${keyProject}`,
            {
                project: keyProject,
                role: API_KEYS_ADMIN,
                member: rotator.member,
            },
            opts,
        );
    }
    return { rotator, scheduler, keySecretRole, stateSecretRole };
}

function customRole(
    resourceName: string,
    project: string,
    roleId: string,
    title: string,
    permissions: readonly string[],
    opts: pulumi.CustomResourceOptions,
): gcp.projects.IAMCustomRole {
    return new gcp.projects.IAMCustomRole(
        resourceName,
        {
            project,
            roleId,
            title,
            description:
                "Managed by keywarden; deleting it leaves the role ID unusable for 37 days.",
            permissions: [...permissions],
            stage: "GA",
        },
        opts,
    );
}
