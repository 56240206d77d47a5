/**
 * The plan as text for a terminal, and as Markdown for a pull-request comment (the same text
 * in a code block, followed by the Mermaid diagram, which GitHub draws).
 */
import { AlertRoute } from "./alerts";
import { Grant, memberLabel, roleLabel } from "./iam";
import { GroupPlan, PlanDocument } from "./plan";
import { PRICES } from "./prices";

/** The plan as plain text. */
export function renderText(plan: PlanDocument): string {
    const out: string[] = [];
    out.push(`keywarden plan: stack ${plan.stack}, project ${plan.project ?? "(unset)"}`);
    out.push(
        `pulumi up would create ${plan.resourceCount} resources (the stack and its ` +
            "components included). Planned offline: nothing was sent to Pulumi or Google Cloud.",
    );
    if (plan.placeholders.length > 0) {
        out.push("", "Credentials planned with a placeholder (pulumi up needs the real ones):");
        for (const { path, reason } of plan.placeholders) {
            out.push(
                reason === "encrypted"
                    ? `  ${path} (encrypted in the stack file)`
                    : `  ${path} (not set): pulumi config set --secret --path '${path}' VALUE`,
            );
        }
    }
    for (const note of plan.notes) out.push(`Note: ${note}`);
    for (const group of plan.groups) {
        out.push("", heading(group), "");
        out.push(`Resources (${group.resources.length})`);
        const width = Math.max(...group.resources.map((r) => r.type.length));
        for (const r of group.resources) out.push(`  ${r.type.padEnd(width)}  ${r.name}`);
        out.push("", "IAM (who can do what)", ...grantLines(group.iam));
        if (group.kind === "fleet" && plan.alertRoutes.length > 0) {
            out.push("", "Alert routes to Slack", ...routeLines(plan.alertRoutes));
        }
        for (const check of group.healthChecks) {
            out.push(
                "",
                `Health check: ${check.url} every ${check.periodSeconds}s from ` +
                    `${check.regions.join(", ")}`,
            );
        }
        if (group.kind === "bot") {
            out.push(
                "",
                group.alerts.length === 0
                    ? "Alerts: none cover this bot"
                    : `Alerts to Slack (routes under the fleet): ${group.alerts
                          .map(shortTitle)
                          .join("; ")}`,
            );
        }
        out.push("", `Cost: ${usd(plan.cost.subtotals[group.name] ?? 0)} a month`);
    }
    out.push("", ...costLines(plan));
    out.push("", `Diagram (Mermaid): npm run plan -- --stack ${plan.stack} --mermaid`);
    return out.join("\n");
}

/** The plan as Markdown: the text in a code block, then the diagram. */
export function renderMarkdown(plan: PlanDocument): string {
    return [
        `### keywarden plan: stack \`${plan.stack}\`, ` +
            `${usd(plan.cost.total)} a month at list prices`,
        "",
        "```text",
        renderText(plan),
        "```",
        "",
        "<details><summary>Diagram</summary>",
        "",
        "```mermaid",
        plan.mermaid,
        "```",
        "",
        "</details>",
    ].join("\n");
}

function heading(group: GroupPlan): string {
    return `== ${groupTitle(group)} ==`;
}

function groupTitle(group: GroupPlan): string {
    return group.kind === "fleet"
        ? `Fleet ${group.name} (shared by every bot)`
        : group.kind === "bot"
          ? `Bot ${group.name}`
          : "Declared outside any component";
}

/** Grants by member: each member once, then what it can do, on what, through which role. */
function grantLines(grants: Grant[]): string[] {
    if (grants.length === 0) return ["  none"];
    const lines: string[] = [];
    const members = [...new Set(grants.map((g) => g.member))];
    for (const member of members) {
        const own = grants.filter((g) => g.member === member);
        lines.push(`  ${memberLabel(member)}${own.some((g) => g.public) ? "  (PUBLIC)" : ""}`);
        for (const g of own) {
            lines.push(
                `      can ${g.ability}: ${g.target.kind} ${g.target.name} ` + `(${roleLabel(g)})`,
            );
        }
    }
    return lines;
}

function routeLines(routes: AlertRoute[]): string[] {
    const lines: string[] = [];
    for (const route of routes) {
        lines.push(`  ${route.title} [${route.severity}]`);
        for (const c of route.conditions) {
            lines.push(`      when: ${c.name} (${c.kind}${c.watches ? `; ${c.watches}` : ""})`);
        }
        lines.push(`      to:   ${route.route.join(" -> ")}`);
        lines.push(`      bots: ${route.bots.length > 0 ? route.bots.join(", ") : "fleet-wide"}`);
    }
    return lines;
}

function costLines(plan: PlanDocument): string[] {
    const { cost } = plan;
    const checked = PRICES.secretVersion.checked;
    const lines = [`== Monthly cost estimate (USD, list prices checked ${checked}) ==`, ""];
    const subjectWidth = Math.max(0, ...cost.lines.map((l) => l.subject.length));
    for (const group of plan.groups.filter((g) => cost.subtotals[g.name] !== undefined)) {
        lines.push(`  ${groupTitle(group)}: ${usd(cost.subtotals[group.name])}`);
        for (const line of cost.lines.filter((l) => l.group === group.name)) {
            const unconfirmed: boolean = "needsConfirmation" in PRICES[line.price];
            lines.push(
                `    ${line.item.padEnd(20)} ${line.subject.padEnd(subjectWidth)} ` +
                    `${usd(line.usd).padStart(8)}  ${line.detail}` +
                    `${unconfirmed ? " (price to confirm)" : ""}`,
            );
        }
    }
    lines.push("", `  Total: ${usd(cost.total)} a month`);
    for (const warning of cost.warnings) lines.push(`  Warning: ${warning}`);
    for (const note of cost.notes) lines.push(`  Note: ${note}`);
    return lines;
}

/** Dollars to the cent; a cost under half a cent is shown as such rather than as $0.00. */
export function usd(amount: number): string {
    if (amount > 0 && amount < 0.005) return "<$0.01";
    return `$${amount.toFixed(2)}`;
}

function shortTitle(title: string): string {
    return title.replace(/^[^:]*:\s*/, "");
}
