/**
 * The bundled stack program: one fleet and its bots, from the stack configuration. Everything
 * is checked first (see `planStack`), so a wrong configuration fails `pulumi preview` with every
 * problem listed and nothing declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { Bot } from "../bot/bot";
import { FleetConnection } from "../fleet/args";
import { Fleet } from "../fleet/fleet";
import { secretBotArgs, secretFleetArgs } from "./config";
import { planStack, StackPlan } from "./plan";

/** The stack's outputs. */
export interface StackOutputs {
    /** What bots declared in other stacks pass to `Bot` (read it with a `StackReference`). */
    connection: pulumi.Output<FleetConnection>;
    /** The function's URI (only the tick job and the relay may call it). */
    functionUri: pulumi.Output<string>;
    /** The notification channel every alert policy uses. */
    notificationChannel: pulumi.Output<string>;
    /** Resource names of the shared alert policies. */
    alertPolicies: pulumi.Output<string[]>;
    /** Full resource names of every bot's key secrets: `{ bot: { short name: name } }`. */
    botSecrets: pulumi.Output<Record<string, Record<string, string>>>;
}

/** Declares the fleet and its bots from a checked plan, with the components. */
export function declareStack(plan: StackPlan): StackOutputs {
    const fleet = new Fleet(plan.fleet.fleetName, secretFleetArgs(plan.fleetArgs));
    const botSecrets: Record<string, pulumi.Output<Record<string, string>>> = {};
    for (const { entry } of plan.bots) {
        const args = secretBotArgs({ ...entry.args, fleet: fleet.connection });
        const bot = new Bot(entry.args.botName, args);
        botSecrets[entry.args.botName] = bot.secretNames;
    }
    return {
        connection: fleet.connection,
        functionUri: fleet.functionUri,
        notificationChannel: fleet.notificationChannel,
        alertPolicies: fleet.alertPolicies,
        botSecrets: pulumi.output(botSecrets),
    };
}

/** Reads and checks the configuration, then declares the stack. */
export function runStack(): StackOutputs {
    return declareStack(planStack());
}
