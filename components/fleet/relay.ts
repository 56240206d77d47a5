/**
 * The webhook relay: Cloud Monitoring publishes incidents to a Pub/Sub topic, and a push
 * subscription delivers them to the function's `/relay` route, which posts them to Slack in a
 * shape Slack accepts. A Monitoring webhook channel cannot post to Slack directly: Slack
 * answers `400 no_text` to Monitoring's JSON.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { declareInvoker, FleetFunction } from "./function";
import { FleetSettings } from "./settings";

/** The relay's notification channel and push subscription. */
export interface AlertRelay {
    channel: gcp.monitoring.NotificationChannel;
    subscription: gcp.pubsub.Subscription;
}

/** Declares the topic, the `pubsub` channel, the push identity and the push subscription. */
export function declareRelay(
    name: string,
    settings: FleetSettings,
    deployed: FleetFunction,
    opts: pulumi.CustomResourceOptions,
): AlertRelay {
    const { project, names } = settings;
    const projectNumber = gcp.organizations.getProjectOutput(
        { projectId: project },
        { parent: opts.parent, provider: opts.provider },
    ).number;
    const serviceAgent = (service: string) =>
        projectNumber.apply(
            (number) =>
                `serviceAccount:service-${number}@gcp-sa-${service}.iam.gserviceaccount.com`,
        );

    const topic = new gcp.pubsub.Topic(
        `${name}-alert-topic`,
        {
            project,
            name: names.alertTopic,
            messageRetentionDuration: "86400s",
        },
        opts,
    );
    // Monitoring publishes as its notification service agent; it may publish to this topic only.
    new gcp.pubsub.TopicIAMMember(
        `${name}-alert-topic-publisher`,
        {
            project,
            topic: topic.name,
            role: "roles/pubsub.publisher",
            member: serviceAgent("monitoring-notification"),
        },
        opts,
    );
    const channel = new gcp.monitoring.NotificationChannel(
        `${name}-alert-channel`,
        {
            project,
            type: "pubsub",
            displayName: `keywarden ${settings.fleetName}: Slack relay`,
            labels: { topic: topic.id },
        },
        opts,
    );

    const pusher = new gcp.serviceaccount.Account(
        `${name}-relay`,
        {
            project,
            accountId: names.relayAccount,
            displayName: `keywarden alert relay (${settings.fleetName})`,
            description: "Identity of the alert push subscription; may only invoke the function.",
        },
        opts,
    );
    // Pub/Sub signs the push request's OIDC token as `pusher`, through its own service agent.
    new gcp.serviceaccount.IAMMember(
        `${name}-relay-token-creator`,
        {
            serviceAccountId: pusher.name,
            role: "roles/iam.serviceAccountTokenCreator",
            member: serviceAgent("pubsub"),
        },
        opts,
    );
    const invoker = declareInvoker(
        `${name}-relay-invoker`,
        settings,
        deployed.fn,
        pusher.member,
        opts,
    );
    const subscription = new gcp.pubsub.Subscription(
        `${name}-relay`,
        {
            project,
            name: names.relaySubscription,
            topic: topic.id,
            ackDeadlineSeconds: 60,
            messageRetentionDuration: "86400s",
            // Never expire for inactivity: a quiet month must not delete the alert route.
            expirationPolicy: { ttl: "" },
            retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
            pushConfig: {
                pushEndpoint: pulumi.interpolate`${deployed.uri}/relay`,
                oidcToken: { serviceAccountEmail: pusher.email, audience: deployed.uri },
            },
        },
        { ...opts, dependsOn: [invoker] },
    );
    return { channel, subscription };
}
