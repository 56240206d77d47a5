/**
 * A Secret Manager emulator for tests and local runs: a gRPC server on 127.0.0.1 built from the
 * official client's `.proto` files, which the unmodified `@google-cloud/secret-manager` client
 * talks to. It keeps secrets in memory and follows the service where keywarden's rotation
 * depends on it: etags, aliases, annotation and payload limits, version states, error codes.
 * See README.md in this folder for the behaviour it chose where the proto is silent.
 */
export { startSecretManagerEmulator } from "./emulator";
export type { SecretManagerEmulator, SecretManagerEmulatorOptions } from "./emulator";
export { CallCounter, EmulatorFaults, SECRET_MANAGER_METHODS } from "./faults";
export type { InjectedFailure, MethodSelector, SecretManagerMethod } from "./faults";
export { EmulatorHooks } from "./hooks";
export type { AfterApplyListener, AppliedCall } from "./hooks";
export { EmulatorInspector } from "./inspect";
export type { SecretSnapshot, VersionSnapshot } from "./inspect";
export { EmulatorClock } from "./time";
export { crc32c } from "./crc32c";
export { ANNOTATIONS_BYTE_LIMIT, MAX_PAYLOAD_BYTES } from "./validation";
