/**
 * Output values the mock runtime gives each resource: what Google Cloud would compute (emails,
 * resource names, the function's URI), derived from the inputs, so that the wiring of one
 * resource's outputs into another's inputs can be followed offline. Shared by the offline plan
 * and the component tests.
 */

/** A resource's inputs with secrets already unwrapped. */
type Inputs = Record<string, any>;

/** The project number the mocked `getProject` call returns unless a run asks for another. */
export const PROJECT_NUMBER = "123456789012";

/**
 * Outputs of other stacks, by stack name, as a `StackReference` to them reads them. Tests fill
 * it; the offline plan leaves it empty (the bundled stack program reads no other stack).
 */
export const otherStacks = new Map<string, Record<string, unknown>>();

/** Returns the ID and output state of a mocked resource. */
export function mockOutputs(
    type: string,
    name: string,
    inputs: Inputs,
): { id: string; state: Inputs } {
    const project = inputs.project ?? "mock-project";
    const named = (full: string) => ({ id: full, state: { ...inputs, name: full } });
    switch (type) {
        case "gcp:serviceaccount/account:Account": {
            const email = `${inputs.accountId}@${project}.iam.gserviceaccount.com`;
            const full = `projects/${project}/serviceAccounts/${email}`;
            const member = `serviceAccount:${email}`;
            return { id: full, state: { ...inputs, email, member, name: full } };
        }
        case "gcp:secretmanager/secret:Secret":
            return named(`projects/${project}/secrets/${inputs.secretId}`);
        case "gcp:projects/iAMCustomRole:IAMCustomRole":
            return named(`projects/${project}/roles/${inputs.roleId}`);
        case "gcp:cloudfunctionsv2/function:Function": {
            const uri = `https://${inputs.name}-abc123-ew.a.run.app`;
            const location = `projects/${project}/locations/${inputs.location}`;
            const serviceConfig = {
                ...inputs.serviceConfig,
                uri,
                service: `${location}/services/${inputs.name}`,
            };
            return {
                id: `${location}/functions/${inputs.name}`,
                state: { ...inputs, url: uri, serviceConfig },
            };
        }
        case "gcp:pubsub/topic:Topic":
            return { id: `projects/${project}/topics/${inputs.name}`, state: inputs };
        case "gcp:monitoring/notificationChannel:NotificationChannel":
            return named(`projects/${project}/notificationChannels/${name}`);
        case "gcp:monitoring/alertPolicy:AlertPolicy":
            return named(`projects/${project}/alertPolicies/${name}`);
        case "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig":
            return {
                id: `projects/${project}/uptimeCheckConfigs/${name}`,
                state: { ...inputs, uptimeCheckId: `${name}-id` },
            };
        case "pulumi:pulumi:StackReference": {
            const outputs = otherStacks.get(inputs.name) ?? {};
            const state = { name: inputs.name, outputs, secretOutputNames: [] };
            return { id: inputs.name, state };
        }
        default:
            return { id: `${name}-id`, state: inputs };
    }
}
