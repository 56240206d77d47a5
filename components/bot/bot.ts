/**
 * The `Bot` component: one bot's keys in Secret Manager, who may read them, and its uptime
 * check. It joins a fleet through the fleet's connection values, so it can live in the fleet's
 * stack or in the bot team's own stack.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { FleetConnection } from "../fleet/args";
import { Problems, throwIfProblems } from "../problems";
import { BotArgs } from "./args";
import { declareBotSecrets, DeclaredSecret } from "./secrets";
import { BotSettings, resolveBotArgs } from "./settings";
import { declareUptimeCheck } from "./uptime";

/** Pulumi type token of the component. */
export const BOT_TYPE = "keywarden:index:Bot";

/** Checks a bot's arguments and fills in defaults; throws every problem together. */
export function checkBotArgs(name: string, args: BotArgs | undefined): BotSettings {
    const problems = new Problems();
    const settings = resolveBotArgs(name, args ?? ({} as BotArgs), problems);
    throwIfProblems(`the arguments of Bot "${name}"`, problems.all);
    return settings!;
}

/** What `declareBot` declared. */
export interface DeclaredBot {
    secrets: Record<string, DeclaredSecret>;
    uptimeCheck?: gcp.monitoring.UptimeCheckConfig;
}

/**
 * Declares a bot's resources from checked settings. The component calls it with itself as
 * parent; exported so the plan benchmark can declare the same resources without a component.
 */
export function declareBot(
    name: string,
    settings: BotSettings,
    fleet: pulumi.Input<FleetConnection>,
    opts: pulumi.CustomResourceOptions,
): DeclaredBot {
    const connection = pulumi.output(fleet);
    const secrets = declareBotSecrets(name, settings, connection, opts);
    const uptimeCheck =
        settings.health === undefined
            ? undefined
            : declareUptimeCheck(name, settings.botName, settings.health, connection, opts);
    return { secrets, uptimeCheck };
}

/**
 * One bot: for each of its keys, a secret carrying the rotation policy and a companion state
 * secret, the rotator's rights on those secrets only, read access for the bot's identity, an
 * optional admin-credential secret and initial value; and an optional uptime check.
 */
export class Bot extends pulumi.ComponentResource {
    /** The bot's name, as in labels and policies. */
    readonly botName!: string;
    /** Full resource names (`projects/P/secrets/S`) of the key secrets, by short name. */
    readonly secretNames!: pulumi.Output<Record<string, string>>;
    /** IDs of the key secrets, by short name: what a Cloud Run secret env var refers to. */
    readonly secretIds!: Record<string, string>;
    /** ID of the uptime check, when the bot has one. */
    readonly uptimeCheckId!: pulumi.Output<string | undefined>;

    constructor(name: string, args: BotArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component itself is registered: bad input declares nothing.
        const settings = checkBotArgs(name, args);
        super(BOT_TYPE, name, {}, opts);
        const declared = declareBot(name, settings, args.fleet, { parent: this });
        this.botName = settings.botName;
        this.secretIds = Object.fromEntries(settings.secrets.map((s) => [s.key, s.secretId]));
        const names: Record<string, pulumi.Output<string>> = {};
        for (const [key, secret] of Object.entries(declared.secrets)) names[key] = secret.key.name;
        this.secretNames = pulumi.output(names);
        this.uptimeCheckId = declared.uptimeCheck?.uptimeCheckId ?? pulumi.output(undefined);
        // Registered outputs only feed the engine's display of the component; programs read the
        // properties above. Registering Output values makes the runtime wait for and serialise
        // each one, which `npm run bench:plan` measured at about 5% of a 1,000-bot plan, so the
        // bot registers none and only marks itself complete.
        this.registerOutputs();
    }
}
