/**
 * keywarden's Pulumi components: `Fleet` (one per environment) and `Bot` (one per bot, in the
 * fleet's stack or in another one).
 */
export { Fleet, FLEET_TYPE, checkFleetArgs } from "./fleet/fleet";
export type { FleetArgs, FleetConnection, SlackArgs, SlackAlertRoute } from "./fleet/args";
export { Bot, BOT_TYPE, checkBotArgs } from "./bot/bot";
export type { BotArgs, BotSecretArgs, HealthCheckArgs } from "./bot/args";
export { KeywardenConfigError } from "./problems";
export { ALERT_KEYS } from "./fleet/alerts";
export { EVENT_METRICS } from "./fleet/metrics";
export {
    KEY_SECRET_PERMISSIONS,
    PROJECT_PERMISSIONS,
    STATE_SECRET_PERMISSIONS,
} from "./permissions";
export { FLEET_LABEL, POLICY_ANNOTATION, ROLE_LABEL } from "../functions/rotator/policy/types";
export type { RotationPolicy, RotatorConfig } from "../functions/rotator/policy/types";
