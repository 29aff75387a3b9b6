/**
 * The forecast: one row per fiscal period with its P10/P50/P90 band, the
 * expected amount, commit and best case, and the deals and amount in each
 * forecast category. All amounts are in the corporate currency.
 */
import type { Forecast } from '../../domain/lifecycle/forecast.js';
import type { FiscalPeriod } from '../../domain/lifecycle/fiscal.js';
import { FORECAST_CATEGORIES } from '../../domain/model.js';
import type { ForecastCategory } from '../../domain/model.js';
import { renderForecastChart } from '../charts/forecast-chart.js';
import type { Column } from '../columns.js';
import type { ReportDefinition } from '../report-definition.js';

/** The forecast fields the report reads; a `Forecast` has them all. */
export type ForecastInputRow = Pick<
  Forecast,
  | 'asOf'
  | 'currency'
  | 'dealCount'
  | 'openAmount'
  | 'wonAmount'
  | 'expected'
  | 'band'
  | 'commit'
  | 'bestCase'
  | 'byCategory'
> & { period: Pick<FiscalPeriod, 'label' | 'start' | 'end'> };

export interface ForecastInput {
  /** One forecast per period, in the order the rows and the chart show them. */
  forecasts: readonly ForecastInputRow[];
}

function categoryKey(category: ForecastCategory): string {
  return category.replace(/\s+/g, '');
}

function categoryLine(row: ForecastInputRow, category: ForecastCategory) {
  return row.byCategory.find((line) => line.category === category);
}

const CATEGORY_COLUMNS: Column<ForecastInputRow>[] =
  FORECAST_CATEGORIES.flatMap((category): Column<ForecastInputRow>[] => [
    {
      key: `category${categoryKey(category)}Deals`,
      header: `${category} Deals`,
      type: 'integer',
      description: `Deals in the ${category} forecast category${category === 'Closed' ? ' (won in the period)' : ''}.`,
      format: (row) => categoryLine(row, category)?.dealCount ?? 0,
    },
    {
      key: `category${categoryKey(category)}Amount`,
      header: `${category} Amount`,
      type: 'currency',
      description: `Their unweighted amount.`,
      format: (row) => categoryLine(row, category)?.amount ?? null,
    },
  ]);

export const FORECAST_COLUMNS: readonly Column<ForecastInputRow>[] = [
  {
    key: 'period',
    header: 'Period',
    type: 'text',
    description: 'Fiscal period label, such as FY2027-Q1.',
    format: (row) => row.period.label,
  },
  {
    key: 'periodStart',
    header: 'Period Start',
    type: 'date',
    description: 'First day of the period.',
    format: (row) => row.period.start,
  },
  {
    key: 'periodEnd',
    header: 'Period End',
    type: 'date',
    description: 'Last day of the period, inclusive.',
    format: (row) => row.period.end,
  },
  {
    key: 'asOf',
    header: 'As Of',
    type: 'datetime',
    description:
      'The instant the forecast was made; only history before it counts.',
  },
  {
    key: 'currency',
    header: 'Currency',
    type: 'text',
    description: 'The corporate currency of every amount.',
  },
  {
    key: 'dealCount',
    header: 'Open Deals',
    type: 'integer',
    description: 'Open deals closing in the period that were forecast.',
  },
  {
    key: 'openAmount',
    header: 'Open Amount',
    type: 'currency',
    description: 'Their unweighted amount.',
  },
  {
    key: 'wonAmount',
    header: 'Won Amount',
    type: 'currency',
    description: 'Deals already won with a close date in the period.',
  },
  {
    key: 'expected',
    header: 'Expected',
    type: 'currency',
    description: 'Won amount plus the probability-weighted open amount.',
  },
  {
    key: 'p10',
    header: 'P10',
    type: 'currency',
    description:
      'Won amount plus the 10th percentile of the simulated open outcome.',
    format: (row) => row.band.p10,
  },
  {
    key: 'p50',
    header: 'P50',
    type: 'currency',
    description: 'Won amount plus the median simulated open outcome.',
    format: (row) => row.band.p50,
  },
  {
    key: 'p90',
    header: 'P90',
    type: 'currency',
    description:
      'Won amount plus the 90th percentile of the simulated open outcome.',
    format: (row) => row.band.p90,
  },
  {
    key: 'commit',
    header: 'Commit',
    type: 'currency',
    description: 'Closed plus Commit categories, unweighted.',
  },
  {
    key: 'bestCase',
    header: 'Best Case',
    type: 'currency',
    description: 'Closed plus Commit plus Best Case categories, unweighted.',
  },
  ...CATEGORY_COLUMNS,
];

export const forecastReport: ReportDefinition<ForecastInput, ForecastInputRow> =
  {
    name: 'forecast',
    title: 'Co-sell forecast',
    description: 'One row per fiscal period.',
    columns: FORECAST_COLUMNS,
    rows: (input) => input.forecasts,
    svg: (input) =>
      renderForecastChart(
        input.forecasts.map((row) => ({
          period: row.period.label,
          currency: row.currency,
          p10: row.band.p10,
          p50: row.band.p50,
          p90: row.band.p90,
          expected: row.expected,
          commit: row.commit,
          bestCase: row.bestCase,
        })),
      ),
  };
