/**
 * Slack: the secret holding the incoming-webhook URL the function posts its own messages to,
 * and the native Cloud Monitoring Slack channel for alerts.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_ACCESSOR } from "../permissions";
import { FleetIdentities } from "./identities";
import { FleetSettings } from "./settings";

/** The webhook secret and its full resource name (`projects/P/secrets/S`). */
export interface WebhookSecret {
    secret: gcp.secretmanager.Secret;
    resourceName: pulumi.Output<string>;
}

/**
 * Declares the secret with the webhook URL, readable by the rotator only. It carries no fleet
 * label: the tick treats every labelled secret as a key to rotate.
 */
export function declareWebhookSecret(
    name: string,
    settings: FleetSettings,
    ids: FleetIdentities,
    opts: pulumi.CustomResourceOptions,
): WebhookSecret {
    const secret = new gcp.secretmanager.Secret(
        `${name}-slack-webhook`,
        {
            project: settings.project,
            secretId: settings.names.webhookSecret,
            replication: { auto: {} },
        },
        opts,
    );
    // A changed URL replaces this version: the function reads `latest`, which is then the new one.
    new gcp.secretmanager.SecretVersion(
        `${name}-slack-webhook-value`,
        {
            secret: secret.id,
            secretData: pulumi.secret(settings.slack.webhookUrl),
        },
        opts,
    );
    new gcp.secretmanager.SecretIamMember(
        `${name}-slack-webhook-rotator`,
        {
            project: settings.project,
            secretId: secret.secretId,
            role: SECRET_ACCESSOR,
            member: ids.rotator.member,
        },
        opts,
    );
    return {
        secret,
        resourceName: pulumi.interpolate`projects/${settings.project}/secrets/${secret.secretId}`,
    };
}

/** Declares Monitoring's own Slack channel; the token is kept as a Pulumi secret. */
export function declareNativeChannel(
    name: string,
    settings: FleetSettings,
    opts: pulumi.CustomResourceOptions,
): gcp.monitoring.NotificationChannel {
    return new gcp.monitoring.NotificationChannel(
        `${name}-slack`,
        {
            project: settings.project,
            type: "slack",
            displayName: `keywarden ${settings.fleetName}: Slack ${settings.slack.channelName}`,
            labels: { channel_name: settings.slack.channelName! },
            sensitiveLabels: { authToken: pulumi.secret(settings.slack.authToken!) },
        },
        opts,
    );
}
