/**
 * The fleet's Cloud Monitoring dashboard: one chart per event counter, the bots' health checks
 * and the function's requests. Built from the same metric list as the alerts.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { FLEET_LABEL } from "../../functions/rotator/policy/types";
import { EVENT_METRICS, metricType } from "./metrics";
import { FleetSettings } from "./settings";

/** Width of a tile on the 12-column mosaic grid; two tiles a row. */
const TILE_WIDTH = 6;
const TILE_HEIGHT = 4;

interface Chart {
    title: string;
    filter: string;
    aligner: string;
    groupBy: string[];
}

/** The dashboard's JSON (Monitoring's `Dashboard` resource), deterministic for a fleet. */
export function dashboardJson(settings: FleetSettings): string {
    const charts: Chart[] = EVENT_METRICS.map((metric) => ({
        title: metric.description,
        filter:
            `metric.type="${metricType(settings, metric.id)}" AND ` +
            'resource.type="cloud_run_revision"',
        aligner: "ALIGN_DELTA",
        groupBy: metric.labels.includes("bot") ? ["metric.label.bot"] : [],
    }));
    charts.push(
        {
            title: "Bot health checks passing, by bot",
            filter:
                'metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND ' +
                'resource.type="uptime_url" AND ' +
                `metadata.user_labels."${FLEET_LABEL}"="${settings.fleetName}"`,
            aligner: "ALIGN_FRACTION_TRUE",
            groupBy: ["metric.label.check_id"],
        },
        {
            title: "Function requests, by response class",
            filter:
                'metric.type="run.googleapis.com/request_count" AND ' +
                'resource.type="cloud_run_revision" AND ' +
                `resource.label.service_name="${settings.names.functionName}"`,
            aligner: "ALIGN_DELTA",
            groupBy: ["metric.label.response_code_class"],
        },
    );
    const tiles = charts.map((chart, index) => ({
        xPos: (index % 2) * TILE_WIDTH,
        yPos: Math.floor(index / 2) * TILE_HEIGHT,
        width: TILE_WIDTH,
        height: TILE_HEIGHT,
        widget: {
            title: chart.title,
            xyChart: {
                dataSets: [
                    {
                        plotType: "LINE",
                        timeSeriesQuery: {
                            timeSeriesFilter: {
                                filter: chart.filter,
                                aggregation: {
                                    alignmentPeriod: "3600s",
                                    perSeriesAligner: chart.aligner,
                                    crossSeriesReducer:
                                        chart.aligner === "ALIGN_FRACTION_TRUE"
                                            ? "REDUCE_MEAN"
                                            : "REDUCE_SUM",
                                    groupByFields: chart.groupBy,
                                },
                            },
                        },
                    },
                ],
            },
        },
    }));
    return JSON.stringify({
        displayName: `keywarden ${settings.fleetName}`,
        mosaicLayout: { columns: 12, tiles },
    });
}

/** Declares the dashboard. It names the metrics, so it waits for them to exist. */
export function declareDashboard(
    name: string,
    settings: FleetSettings,
    metrics: pulumi.Resource[],
    opts: pulumi.CustomResourceOptions,
): gcp.monitoring.Dashboard {
    return new gcp.monitoring.Dashboard(
        `${name}-dashboard`,
        {
            project: settings.project,
            dashboardJson: dashboardJson(settings),
        },
        { ...opts, dependsOn: metrics },
    );
}
