/**
 * Traffic simulation: bots that re-read their key on a short cache and keep calling a provider,
 * and the naive create-sleep-revoke script to compare keywarden with (docs: README.md here).
 */
export {
    SimulatedBot,
    type BotSpec,
    type BotStats,
    type FailedCall,
    type KeyReader,
    type UseCall,
} from "./bot";
export {
    botsWithCaches,
    latestVersionReader,
    startTraffic,
    type Traffic,
    type TrafficOptions,
    type TrafficReport,
} from "./traffic";
export {
    naiveRotate,
    naiveRotations,
    type KeyAdminApi,
    type NaiveRotation,
    type NaiveRotationOptions,
} from "./naive-rotation";
export { sendGridKeyAdmin, sendGridMailSend } from "./sendgrid";
