import type { Writable } from 'node:stream';
import { shiftQuarter } from '../domain/lifecycle/index.js';
import type { ReportWriteResult } from '../reports/export-report.js';
import { agendaReport } from '../reports/definitions/agenda.js';
import { attributionReport } from '../reports/definitions/attribution.js';
import { forecastReport } from '../reports/definitions/forecast.js';
import { funnelReport } from '../reports/definitions/funnel.js';
import { pipelineReport } from '../reports/definitions/pipeline.js';
import { scorecardReport } from '../reports/definitions/scorecard.js';
import { stageHistoryReport } from '../reports/definitions/stage-history.js';
import { exportReport } from '../reports/export-report.js';
import type {
  ReportDefinition,
  ReportFormat,
} from '../reports/report-definition.js';
import type { ReportName } from '../reports/registry.js';
import { currentQuarter, forecastPeriods } from './lifecycle/forecast-views.js';
import type { LifecycleContext } from './lifecycle/lifecycle-context.js';
import { lifecycleStages } from './lifecycle/lifecycle-context.js';
import { buildPartnerScorecards } from './lifecycle/partner-scorecards.js';
import { buildSyncAgenda } from './lifecycle/sync-agenda.js';
import {
  attributedDeals,
  pipelineInput,
  stageHistoryTransitions,
} from './ops-report-inputs.js';

export interface OpsReportRequest {
  report: ReportName;
  /** A format the report offers; `requireFormat` checks it. */
  format: ReportFormat;
  /** Start a CSV with a UTF-8 byte order mark, for Excel. */
  bom: boolean;
  /** Fiscal quarters the forecast covers, from the current one. */
  quarters: number;
  /** Registrations expiring within this many days go on the agenda. */
  expiringWithinDays: number;
}

export interface OpsReportResult extends ReportWriteResult {
  /** Won deals the attribution report left out because their move has no snapshot. */
  skippedDeals: number;
}

/**
 * Writes one report of the whole store to `out`, as an internal ops user sees
 * it: every partner, nothing redacted. The agenda is the vendor side's.
 */
export async function exportOpsReport(
  lc: LifecycleContext,
  request: OpsReportRequest,
  out: Writable,
): Promise<OpsReportResult> {
  const send = async <Input, Row>(
    definition: ReportDefinition<Input, Row>,
    input: Input,
    skippedDeals = 0,
  ): Promise<OpsReportResult> => {
    const written = await exportReport(definition, input, request.format, out, {
      bom: request.bom,
      logger: lc.cosell.logger,
    });
    return { ...written, skippedDeals };
  };
  switch (request.report) {
    case 'pipeline':
      return send(pipelineReport, await pipelineInput(lc));
    case 'stage-history':
      return send(stageHistoryReport, {
        transitions: stageHistoryTransitions(lc),
      });
    case 'attribution': {
      const { deals, partners, withoutSnapshot } = await attributedDeals(lc);
      return send(attributionReport, { deals, partners }, withoutSnapshot);
    }
    case 'scorecard':
      return send(scorecardReport, {
        scorecards: await buildPartnerScorecards(lc, null),
      });
    case 'funnel':
      return send(funnelReport, await funnelInput(lc));
    case 'forecast': {
      const first = currentQuarter(lc);
      const periods = Array.from({ length: request.quarters }, (_, index) =>
        shiftQuarter(first, index, lc.settings.fiscal),
      );
      return send(forecastReport, {
        forecasts: await forecastPeriods(lc, periods),
      });
    }
    case 'agenda':
      return send(agendaReport, {
        agenda: await buildSyncAgenda(lc, {
          side: 'Vendor',
          partnerAccountId: null,
          expiringWithinDays: request.expiringWithinDays,
        }),
      });
  }
}

/** Reads every deal's model once, then streams the transitions to the funnel. */
async function funnelInput(lc: LifecycleContext) {
  const deals: Array<{ id: string; model: string }> = [];
  for await (const deal of lc.store.streamDeals()) {
    deals.push({ id: deal.id, model: deal.model });
  }
  return {
    stages: lifecycleStages(lc.cosell),
    deals,
    transitions: lc.store.streamTransitions(),
  };
}
