/**
 * The rotation function and what drives it: the source bucket and archive, the Cloud Functions
 * 2nd gen function, and the one Cloud Scheduler job that calls its reconcile tick.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { FLEET_LABEL } from "../../functions/rotator/policy/types";
import { FUNCTION_NODE_OPTIONS } from "../../functions/rotator/node-options";
import { RUN_INVOKER } from "../permissions";
import { archiveAsset } from "./archive";
import { FleetIdentities } from "./identities";
import { FleetSettings } from "./settings";

/** Runtime of the function: nodejs24 is GA until 2028; nodejs20 is decommissioned. */
export const FUNCTION_RUNTIME = "nodejs24";

/** Exported name of the HTTP handler in the built bundle. */
export const ENTRY_POINT = "keywarden";

/** The deployed function and its source. */
export interface FleetFunction {
    bucket: gcp.storage.Bucket;
    source: gcp.storage.BucketObject;
    fn: gcp.cloudfunctionsv2.Function;
    /** The function's `run.app` URI: the OIDC audience of every caller. */
    uri: pulumi.Output<string>;
}

/** Declares the bucket, the archive object and the function. */
export function declareFunction(
    name: string,
    settings: FleetSettings,
    ids: FleetIdentities,
    webhookSecretName: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): FleetFunction {
    const { project, region, names } = settings;
    const bucket = new gcp.storage.Bucket(
        `${name}-source`,
        {
            project,
            name: names.bucket,
            location: region,
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            // Only build archives live here; they are rebuilt from the repository at will.
            forceDestroy: true,
        },
        opts,
    );
    const source = new gcp.storage.BucketObject(
        `${name}-archive`,
        {
            bucket: bucket.name,
            name: settings.archive.objectName,
            source: archiveAsset(settings.archive),
        },
        opts,
    );
    const fn = new gcp.cloudfunctionsv2.Function(
        `${name}-function`,
        {
            project,
            location: region,
            name: names.functionName,
            description: `keywarden: rotates the keys of fleet ${settings.fleetName}`,
            labels: { [FLEET_LABEL]: settings.fleetName },
            buildConfig: {
                runtime: FUNCTION_RUNTIME,
                entryPoint: ENTRY_POINT,
                source: { storageSource: { bucket: bucket.name, object: source.name } },
            },
            serviceConfig: {
                serviceAccountEmail: ids.rotator.email,
                // Cloud Scheduler cannot reach an internal-only service, so ingress stays open and
                // IAM does the gatekeeping: only the invoker bindings below may call it.
                ingressSettings: "ALLOW_ALL",
                allTrafficOnLatestRevision: true,
                availableMemory: "256M",
                timeoutSeconds: settings.tickDeadlineSeconds,
                minInstanceCount: 0,
                maxInstanceCount: settings.maxInstances,
                environmentVariables: {
                    KEYWARDEN_PROJECT: project,
                    KEYWARDEN_FLEET: settings.fleetName,
                    KEYWARDEN_SLACK_WEBHOOK_SECRET: webhookSecretName,
                    NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
                    // Express (inside the Functions Framework) answers malformed bodies with a
                    // stack trace and the body's first characters unless it runs in production
                    // mode.
                    NODE_ENV: "production",
                },
            },
        },
        opts,
    );
    const uri = fn.serviceConfig.apply((config) => config?.uri ?? "");
    return { bucket, source, fn, uri };
}

/**
 * Lets `member` invoke the function. 2nd gen functions are Cloud Run services, and only
 * `roles/run.invoker` on that service admits a caller (`roles/cloudfunctions.invoker` does not).
 */
export function declareInvoker(
    resourceName: string,
    settings: FleetSettings,
    fn: gcp.cloudfunctionsv2.Function,
    member: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): gcp.cloudrunv2.ServiceIamMember {
    return new gcp.cloudrunv2.ServiceIamMember(
        resourceName,
        {
            project: settings.project,
            location: settings.region,
            name: fn.serviceConfig.apply(
                (config) => config?.service ?? settings.names.functionName,
            ),
            role: RUN_INVOKER,
            member,
        },
        opts,
    );
}

/** Declares the one scheduler job that calls `/tick`, and its right to invoke the function. */
export function declareTickJob(
    name: string,
    settings: FleetSettings,
    ids: FleetIdentities,
    deployed: FleetFunction,
    opts: pulumi.CustomResourceOptions,
): gcp.cloudscheduler.Job {
    const invoker = declareInvoker(
        `${name}-scheduler-invoker`,
        settings,
        deployed.fn,
        ids.scheduler.member,
        opts,
    );
    return new gcp.cloudscheduler.Job(
        `${name}-tick`,
        {
            project: settings.project,
            region: settings.region,
            name: settings.names.tickJob,
            description: `keywarden: reconcile tick of fleet ${settings.fleetName}`,
            schedule: settings.tickSchedule,
            timeZone: settings.timeZone,
            attemptDeadline: `${settings.tickDeadlineSeconds}s`,
            // A retried tick is harmless: each step is idempotent and guarded by a lock.
            retryConfig: {
                retryCount: settings.tickRetryCount,
                minBackoffDuration: "30s",
                maxBackoffDuration: "300s",
                maxDoublings: 2,
            },
            httpTarget: {
                uri: pulumi.interpolate`${deployed.uri}/tick`,
                httpMethod: "POST",
                headers: { "Content-Type": "application/json" },
                body: Buffer.from("{}").toString("base64"),
                oidcToken: { serviceAccountEmail: ids.scheduler.email, audience: deployed.uri },
            },
        },
        { ...opts, dependsOn: [invoker] },
    );
}
