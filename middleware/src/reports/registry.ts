/**
 * The reports by name, with the formats each supports and its download file
 * name. Markdown is offered for the small reports only; SVG for the two charts.
 */
import { localDate } from '../domain/lifecycle/calendar.js';
import { agendaReport } from './definitions/agenda.js';
import { attributionReport } from './definitions/attribution.js';
import { forecastReport } from './definitions/forecast.js';
import { funnelReport } from './definitions/funnel.js';
import { pipelineReport } from './definitions/pipeline.js';
import { scorecardReport } from './definitions/scorecard.js';
import { stageHistoryReport } from './definitions/stage-history.js';
import type { ReportDefinition, ReportFormat } from './report-definition.js';
import { ReportError } from './report-error.js';

export interface ReportEntry {
  definition: ReportDefinition<never, unknown>;
  formats: readonly ReportFormat[];
}

const TABLES = ['csv', 'json', 'ndjson'] as const;

export const REPORT_REGISTRY = {
  pipeline: { definition: pipelineReport, formats: TABLES },
  'stage-history': { definition: stageHistoryReport, formats: TABLES },
  attribution: { definition: attributionReport, formats: TABLES },
  scorecard: { definition: scorecardReport, formats: [...TABLES, 'md'] },
  funnel: { definition: funnelReport, formats: [...TABLES, 'md', 'svg'] },
  forecast: { definition: forecastReport, formats: [...TABLES, 'md', 'svg'] },
  agenda: { definition: agendaReport, formats: [...TABLES, 'md'] },
} as const satisfies Record<string, ReportEntry>;

export type ReportName = keyof typeof REPORT_REGISTRY;
export const REPORT_NAMES = Object.keys(REPORT_REGISTRY) as ReportName[];

/**
 * The options that only some reports read, by their query parameter name, with
 * the `sf cosell report export` flag and the reports that read each. The API
 * and the command reject such an option for any other report.
 */
export const REPORT_ONLY_OPTIONS = [
  { parameter: 'quarters', flag: 'quarters', reports: ['forecast'] },
  {
    parameter: 'expiringWithinDays',
    flag: 'expiring-within-days',
    reports: ['agenda'],
  },
] as const satisfies ReadonlyArray<{
  parameter: string;
  flag: string;
  reports: readonly ReportName[];
}>;

/** Looks a report up by name, or fails listing the names there are. */
export function findReport(name: string): ReportEntry & { name: ReportName } {
  if (!Object.hasOwn(REPORT_REGISTRY, name)) {
    throw new ReportError(
      'unknown_report',
      `There is no report named "${name}".`,
      `Use one of: ${REPORT_NAMES.join(', ')}.`,
      name,
    );
  }
  const entry: ReportEntry = REPORT_REGISTRY[name as ReportName];
  return { ...entry, name: name as ReportName };
}

/** Fails unless the report supports the format, naming the formats it has. */
export function requireFormat(name: string, format: string): ReportFormat {
  const entry = findReport(name);
  if (!(entry.formats as readonly string[]).includes(format)) {
    throw new ReportError(
      'unsupported_format',
      `The ${name} report has no "${format}" format.`,
      `Use one of: ${entry.formats.join(', ')}.`,
      format,
    );
  }
  return format as ReportFormat;
}

/**
 * Returns the download file name, such as `cosell-stage-history-2026-12-04.csv`,
 * dated with the local date of `at` in the org's time zone.
 */
export function reportFileName(
  name: string,
  format: ReportFormat,
  at: string,
  zone: string,
): string {
  const report = findReport(name).name;
  return `cosell-${report}-${localDate(at, zone)}.${format}`;
}
