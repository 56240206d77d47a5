/**
 * keywarden's stack program: `pulumi up` with a Pulumi.<stack>.yaml declares one fleet and its
 * bots (see Pulumi.yaml for the configuration keys). The components themselves are exported
 * from `components/index.ts` for use in other Pulumi programs.
 */
import { runStack } from "./components/stack/program";

const stack = runStack();

/** What bots declared in other stacks need from this fleet. */
export const connection = stack.connection;
/** The rotation function's URI (IAM-protected). */
export const functionUri = stack.functionUri;
/** The notification channel of the fleet's alerts. */
export const notificationChannel = stack.notificationChannel;
/** The fleet's shared alert policies. */
export const alertPolicies = stack.alertPolicies;
/** Full resource names of every bot's key secrets, by bot and short name. */
export const botSecrets = stack.botSecrets;
