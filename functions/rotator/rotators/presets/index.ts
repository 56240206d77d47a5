/**
 * The preset catalogue: every bundled provider, by the name a policy uses (`preset: "sendgrid"`).
 *
 * Docs and validation read the facts from here (label, params, admin secret, expiry, listing,
 * docs link), so the catalogue is written once. See `preset.ts` for what each field means.
 */
import type { PresetName } from "../../policy/types";
import { cloudflare } from "./cloudflare";
import { datadog } from "./datadog";
import { openai } from "./openai";
import { openrouter } from "./openrouter";
import type { Preset } from "./preset";
import { sendGrid } from "./sendgrid";
import { twilio } from "./twilio";

export type { Preset, PresetParam, ParamType } from "./preset";
export { checkPresetParams, resolvePreset, type ResolvedPreset } from "./params";

/** Every bundled preset, by name. */
export const PRESETS: Readonly<Record<PresetName, Preset>> = {
    sendgrid: sendGrid,
    cloudflare,
    twilio,
    datadog,
    openai,
    openrouter,
};
