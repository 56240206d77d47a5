/**
 * A message for the people who look after the bots: what happened, to which bot, secret and
 * version, and what to do next. Rendered for Slack by the webhook sender; never holds a key.
 */
export interface Notice {
    title: string;
    severity: "info" | "warning" | "error";
    /** Sentences that explain what happened. */
    lines: string[];
    /** Identifiers shown as a table: bot, secret, version, key ID, attempt. */
    fields: Record<string, string>;
    /** What the reader should do, when anything. */
    nextStep?: string;
}
