/**
 * Fake provider servers for keywarden's tests, the local sandbox and traffic simulations: one
 * loopback HTTP server per provider, speaking the real request and response shapes
 * (docs: standins/providers/README.md).
 */
export { DAY, HOUR, MINUTE, SECOND, ManualClock, systemClock, type Clock } from "./clock";
export {
    KeyRegister,
    type IssueInput,
    type IssuedKey,
    type KeyEvent,
    type KeyState,
    type RevokeReason,
} from "./register";
export { ALL_FAULT_KINDS, FaultPlan, type Fault, type FaultKind } from "./faults";
export { RequestCounter, type OperationCount } from "./counter";
export type { FakeBase, FakeOptions } from "./server";
export { call, type CallOptions, type CallResult } from "./http-client";

export {
    SENDGRID_OPERATIONS,
    startFakeSendGrid,
    type FakeSendGrid,
    type FakeSendGridOptions,
} from "./sendgrid";
export {
    CLOUDFLARE_OPERATIONS,
    startFakeCloudflare,
    type FakeCloudflare,
    type FakeCloudflareOptions,
} from "./cloudflare";
export {
    TWILIO_OPERATIONS,
    startFakeTwilio,
    type FakeTwilio,
    type FakeTwilioOptions,
} from "./twilio";
export {
    DATADOG_OPERATIONS,
    startFakeDatadog,
    type FakeDatadog,
    type FakeDatadogOptions,
} from "./datadog";
export {
    OPENAI_OPERATIONS,
    startFakeOpenAI,
    type FakeOpenAI,
    type FakeOpenAIOptions,
} from "./openai";
export {
    OPENROUTER_OPERATIONS,
    startFakeOpenRouter,
    type FakeOpenRouter,
    type FakeOpenRouterOptions,
} from "./openrouter";
export {
    GOOGLE_API_KEYS_OPERATIONS,
    startFakeGoogleApiKeys,
    type FakeGoogleApiKeys,
    type FakeGoogleApiKeysOptions,
} from "./google-api-keys";
export { GEMINI_SERVICE } from "./google-gemini";
export type { KeySpec as GoogleKeySpec } from "./google-key-resource";
export {
    SLACK_ACCESS_TOKEN_LIFETIME_MS,
    SLACK_OAUTH_OPERATIONS,
    startFakeSlackOAuth,
    type FakeSlackOAuth,
    type FakeSlackOAuthOptions,
    type SlackGrant,
} from "./slack-oauth";
export { TELEGRAM_OPERATIONS, startFakeTelegram, type FakeTelegram } from "./telegram";
export {
    BOT_BACKEND_OPERATIONS,
    startFakeBotBackend,
    type FakeBotBackend,
    type FakeBotBackendOptions,
} from "./bot-backend";
export { startFakeFleet, type FakeFleet } from "./fleet";
