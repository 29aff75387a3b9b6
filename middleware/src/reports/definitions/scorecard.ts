/**
 * Partner scorecards: one row per partner with its registrations, deal
 * outcomes, attributed revenue and forecast accuracy. Rates are percentages
 * (0 to 100) here, where the scorecard calculation returns most of them as
 * ratios.
 */
import { Decimal } from 'decimal.js';
import type { Scorecard } from '../../domain/lifecycle/scorecard.js';
import type { CellValue, Column } from '../columns.js';
import type { ReportDefinition } from '../report-definition.js';

/** The scorecard fields the report reads; a `Scorecard` has them all. */
export type ScorecardInputRow = Pick<
  Scorecard,
  | 'partnerAccount'
  | 'registrations'
  | 'deals'
  | 'currency'
  | 'sourcedRevenue'
  | 'influencedRevenue'
  | 'forecastAccuracy'
>;

export interface ScorecardInput {
  scorecards: readonly ScorecardInputRow[];
}

/**
 * Turns a ratio (0 to 1) into a percentage rounded half up to two places, in
 * decimal so that 0.0725 gives 7.25 and not 7.249999999999999.
 */
export function ratioToPercent(ratio: number | null | undefined): CellValue {
  if (ratio === null || ratio === undefined) return null;
  return new Decimal(ratio)
    .times(100)
    .toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
    .toFixed();
}

export const SCORECARD_COLUMNS: readonly Column<ScorecardInputRow>[] = [
  {
    key: 'partnerAccountId',
    header: 'Partner Id',
    type: 'text',
    description: 'Partner account Id.',
    format: (row) => row.partnerAccount.id,
  },
  {
    key: 'partnerName',
    header: 'Partner',
    type: 'text',
    description: 'Partner account name.',
    format: (row) => row.partnerAccount.name,
  },
  {
    key: 'registrations',
    header: 'Registrations',
    type: 'integer',
    description: 'Deal registrations the partner submitted.',
    format: (row) => row.registrations.total,
  },
  {
    key: 'registrationsApproved',
    header: 'Approved',
    type: 'integer',
    description: 'Registrations approved, converted ones included.',
    format: (row) => row.registrations.approved,
  },
  {
    key: 'registrationsRejected',
    header: 'Rejected',
    type: 'integer',
    description: 'Registrations rejected.',
    format: (row) => row.registrations.rejected,
  },
  {
    key: 'registrationsExpired',
    header: 'Expired',
    type: 'integer',
    description: 'Registrations that expired.',
    format: (row) => row.registrations.expired,
  },
  {
    key: 'registrationsPending',
    header: 'Pending',
    type: 'integer',
    description: 'Registrations still submitted, awaiting a decision.',
    format: (row) => row.registrations.pending,
  },
  {
    key: 'approvalRate',
    header: 'Approval Rate (%)',
    type: 'percent',
    description:
      'Approved / (approved + rejected), 0 to 100; empty before any decision.',
    format: (row) => ratioToPercent(row.registrations.approvalRate),
  },
  {
    key: 'dealsOpen',
    header: 'Open Deals',
    type: 'integer',
    description: 'Deals the partner registered that are open now.',
    format: (row) => row.deals.open,
  },
  {
    key: 'dealsWon',
    header: 'Won Deals',
    type: 'integer',
    description: 'Of those deals, the ones won.',
    format: (row) => row.deals.won,
  },
  {
    key: 'dealsLost',
    header: 'Lost Deals',
    type: 'integer',
    description: 'Of those deals, the ones lost.',
    format: (row) => row.deals.lost,
  },
  {
    key: 'winRate',
    header: 'Win Rate (%)',
    type: 'percent',
    description: 'Won / (won + lost), 0 to 100; empty before any closed deal.',
    format: (row) => ratioToPercent(row.deals.winRate),
  },
  {
    key: 'currency',
    header: 'Currency',
    type: 'text',
    description: 'The corporate currency of the revenue columns.',
  },
  {
    key: 'sourcedRevenue',
    header: 'Sourced Revenue',
    type: 'currency',
    description:
      "Won deals' amounts credited to the partner as the Sourcing partner, by its split.",
  },
  {
    key: 'influencedRevenue',
    header: 'Influenced Revenue',
    type: 'currency',
    description:
      "Won deals' amounts credited to the partner as an Influencing partner, by its split.",
  },
  {
    key: 'forecastPeriods',
    header: 'Forecast Periods',
    type: 'integer',
    description:
      'Backtested quarters with at least one of the partner’s deals forecast; empty without a backtest.',
    format: (row) => row.forecastAccuracy?.periods,
  },
  {
    key: 'forecastHitRate',
    header: 'Forecast Hit Rate (%)',
    type: 'percent',
    description:
      'Share of those quarters whose actual won amount fell inside the P10-P90 band.',
    format: (row) => ratioToPercent(row.forecastAccuracy?.hitRate),
  },
  {
    key: 'forecastMeanAbsoluteError',
    header: 'Forecast Mean Absolute Error',
    type: 'currency',
    description:
      'Mean of |expected - actual won amount| over those quarters, in the corporate currency.',
    format: (row) => row.forecastAccuracy?.meanAbsoluteError,
  },
  {
    key: 'forecastMeanAbsolutePercentageError',
    header: 'Forecast MAPE (%)',
    type: 'percent',
    description:
      'Mean of |expected - actual| / actual over the quarters with a won amount, in percent.',
    // The backtest already returns this one as a percentage.
    format: (row) => row.forecastAccuracy?.meanAbsolutePercentageError,
  },
];

export const scorecardReport: ReportDefinition<
  ScorecardInput,
  ScorecardInputRow
> = {
  name: 'scorecard',
  title: 'Partner scorecard',
  description: 'One row per partner.',
  columns: SCORECARD_COLUMNS,
  rows: (input) => input.scorecards,
};
