/**
 * The `Fleet` component: everything one environment needs once, whatever its number of bots.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Problems, throwIfProblems } from "../problems";
import { ALERT_KEYS, AlertKey, declareAlerts } from "./alerts";
import { FleetArgs, FleetConnection } from "./args";
import { declareDashboard } from "./dashboard";
import { declareFunction, declareTickJob } from "./function";
import { declareIdentities, FleetIdentities } from "./identities";
import { declareMetrics } from "./metrics";
import { declareRelay } from "./relay";
import { FleetSettings, resolveFleetArgs } from "./settings";
import { declareNativeChannel, declareWebhookSecret } from "./slack";

/** Pulumi type token of the component. */
export const FLEET_TYPE = "keywarden:index:Fleet";

/** Checks a fleet's arguments and fills in defaults; throws every problem together. */
export function checkFleetArgs(name: string, args: FleetArgs | undefined): FleetSettings {
    const problems = new Problems();
    const settings = resolveFleetArgs(name, args ?? ({} as FleetArgs), problems);
    throwIfProblems(`the arguments of Fleet "${name}"`, problems.all);
    return settings!;
}

/** What `declareFleet` declared. */
export interface DeclaredFleet {
    ids: FleetIdentities;
    fn: gcp.cloudfunctionsv2.Function;
    functionUri: pulumi.Output<string>;
    job: gcp.cloudscheduler.Job;
    channel: gcp.monitoring.NotificationChannel;
    webhookSecretName: pulumi.Output<string>;
    alerts: Record<AlertKey, gcp.monitoring.AlertPolicy>;
    dashboard: gcp.monitoring.Dashboard;
    connection: pulumi.Output<FleetConnection>;
}

/**
 * Declares the fleet's resources from checked settings. The component calls it with itself as
 * parent; exported so the plan benchmark can declare the same resources without a component.
 */
export function declareFleet(
    name: string,
    settings: FleetSettings,
    opts: pulumi.CustomResourceOptions,
): DeclaredFleet {
    const ids = declareIdentities(name, settings, opts);
    const webhook = declareWebhookSecret(name, settings, ids, opts);
    const deployed = declareFunction(name, settings, ids, webhook.resourceName, opts);
    const job = declareTickJob(name, settings, ids, deployed, opts);
    const channel =
        settings.slack.alertRoute === "native"
            ? declareNativeChannel(name, settings, opts)
            : declareRelay(name, settings, deployed, opts).channel;
    const metrics = Object.values(declareMetrics(name, settings, opts));
    const alerts = declareAlerts(name, settings, channel.name, { ...opts, dependsOn: metrics });
    const dashboard = declareDashboard(name, settings, metrics, opts);
    const connection = pulumi.output({
        project: settings.project,
        fleetName: settings.fleetName,
        rotatorEmail: ids.rotator.email,
        keySecretRole: ids.keySecretRole.name,
        stateSecretRole: ids.stateSecretRole.name,
    });
    return {
        ids,
        fn: deployed.fn,
        functionUri: deployed.uri,
        job,
        channel,
        webhookSecretName: webhook.resourceName,
        alerts,
        dashboard,
        connection,
    };
}

/**
 * One keywarden fleet: the rotator's identity and roles, the function and its archive, the
 * tick job, the Slack route, the event metrics, the shared alert policies and the dashboard.
 * Bots join it with `Bot`, passing `fleet.connection` (or the same values exported and read
 * through a `StackReference`).
 */
export class Fleet extends pulumi.ComponentResource {
    /** What a `Bot` needs from this fleet; export it for bots declared in other stacks. */
    readonly connection!: pulumi.Output<FleetConnection>;
    /** The function's `run.app` URI (IAM-protected: only the tick job and relay may call it). */
    readonly functionUri!: pulumi.Output<string>;
    /** Email of the rotator's service account. */
    readonly rotatorEmail!: pulumi.Output<string>;
    /** Email of the service account the tick job calls the function as. */
    readonly schedulerEmail!: pulumi.Output<string>;
    /** Resource name of the notification channel every alert policy uses. */
    readonly notificationChannel!: pulumi.Output<string>;
    /** Resource names of the shared alert policies. */
    readonly alertPolicies!: pulumi.Output<string[]>;
    /** Full resource name of the secret holding the Slack webhook URL. */
    readonly webhookSecret!: pulumi.Output<string>;

    constructor(name: string, args: FleetArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component itself is registered: bad input declares nothing.
        const settings = checkFleetArgs(name, args);
        super(FLEET_TYPE, name, {}, opts);
        const declared = declareFleet(name, settings, { parent: this });
        this.connection = declared.connection;
        this.functionUri = declared.functionUri;
        this.rotatorEmail = declared.ids.rotator.email;
        this.schedulerEmail = declared.ids.scheduler.email;
        this.notificationChannel = declared.channel.name;
        this.alertPolicies = pulumi.all(ALERT_KEYS.map((key) => declared.alerts[key].name));
        this.webhookSecret = declared.webhookSecretName;
        this.registerOutputs({
            connection: this.connection,
            functionUri: this.functionUri,
            rotatorEmail: this.rotatorEmail,
            schedulerEmail: this.schedulerEmail,
            notificationChannel: this.notificationChannel,
            alertPolicies: this.alertPolicies,
            webhookSecret: this.webhookSecret,
        });
    }
}
