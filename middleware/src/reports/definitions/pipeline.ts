/**
 * The pipeline: a snapshot of open deals as of one instant, one row per deal,
 * with its stage settings, days in stage and the pending request, if any.
 * Deals in a closed stage are left out.
 */
import {
  buildStageCatalog,
  findStage,
} from '../../domain/lifecycle/stage-catalog.js';
import { daysInStage } from '../../domain/lifecycle/stalls.js';
import type {
  LifecycleStage,
  PartnerRef,
} from '../../domain/lifecycle/types.js';
import { DomainError } from '../../domain/domain-error.js';
import { canonicalInstant } from '../../domain/lifecycle/calendar.js';
import type { Column } from '../columns.js';
import type { ReportDefinition } from '../report-definition.js';
import { invalidStoredValue } from '../report-error.js';
import type { StoredField } from '../report-error.js';

/** A pending `Stage_Request__c` as the pipeline shows it. */
export interface PipelineRequest {
  id: string;
  kind: 'Advance' | 'Back' | 'Close Lost';
  toStage: string;
  requestingSide: 'Vendor' | 'Partner';
  /**
   * True when the requester is no longer on the requesting side, so no one
   * can confirm or reject the request and only a withdrawal ends it.
   */
  requesterLeftSide?: boolean;
}

/** An open deal; a `LifecycleDeal` has every field but the partner and request. */
export interface PipelineDeal {
  id: string;
  name: string;
  model: string;
  stage: string | null;
  stageEnteredAt: string | null;
  /** `Amount` as decimal text. */
  amount: string | null;
  currencyIsoCode: string;
  closeDate: string | null;
  partnerAccount: PartnerRef | null;
  pendingRequest: PipelineRequest | null;
}

export interface PipelineInput {
  /** The instant of the snapshot, for days in stage. */
  asOf: string;
  /** IANA time zone of the org: days in stage are calendar days there. */
  zone: string;
  stages: readonly LifecycleStage[];
  deals: AsyncIterable<PipelineDeal> | Iterable<PipelineDeal>;
}

export interface PipelineRow {
  deal: PipelineDeal;
  /** Undefined when the deal has no stage or its model has no such stage. */
  stage: LifecycleStage | undefined;
  daysInStage: number | null;
}

/** Returns the Opportunity field that a pipeline cell shows as stored. */
function dealField(row: PipelineRow, field: string): StoredField {
  return { object: 'Opportunity', recordId: row.deal.id, field };
}

function requestText(request: PipelineRequest): string {
  return request.kind === 'Close Lost'
    ? 'Close Lost'
    : `${request.kind} to ${request.toStage}`;
}

export const PIPELINE_COLUMNS: readonly Column<PipelineRow>[] = [
  {
    key: 'dealId',
    header: 'Deal Id',
    type: 'text',
    description: 'Opportunity Id.',
    format: (row) => row.deal.id,
  },
  {
    key: 'dealName',
    header: 'Deal',
    type: 'text',
    description: 'Opportunity name.',
    format: (row) => row.deal.name,
  },
  {
    key: 'partnerAccountId',
    header: 'Partner Id',
    type: 'text',
    description: 'Account Id of the partner that registered the deal.',
    format: (row) => row.deal.partnerAccount?.id,
  },
  {
    key: 'partnerName',
    header: 'Partner',
    type: 'text',
    description: 'Name of that partner account.',
    format: (row) => row.deal.partnerAccount?.name,
  },
  {
    key: 'model',
    header: 'Model',
    type: 'text',
    description: 'Stage model (`Cosell_Model__c`).',
    format: (row) => row.deal.model,
  },
  {
    key: 'stage',
    header: 'Stage',
    type: 'text',
    description:
      'Stage value (`Cosell_Stage__c`); empty before the first stage.',
    format: (row) => row.deal.stage,
  },
  {
    key: 'stageLabel',
    header: 'Stage Label',
    type: 'text',
    description: "The stage's label; empty when the model has no such stage.",
    format: (row) => row.stage?.label,
  },
  {
    key: 'stageOrder',
    header: 'Stage Order',
    type: 'integer',
    description: "The stage's position in its model, from 1.",
    format: (row) => row.stage?.order,
  },
  {
    key: 'daysInStage',
    header: 'Days in Stage',
    type: 'integer',
    description:
      'Calendar days in the org time zone from entering the stage to the snapshot.',
    format: (row) => row.daysInStage,
  },
  {
    key: 'amount',
    header: 'Amount',
    type: 'currency',
    description: 'Opportunity amount in the deal currency, exact.',
    format: (row) => row.deal.amount,
    source: (row) => dealField(row, 'Amount'),
  },
  {
    key: 'currencyIsoCode',
    header: 'Currency',
    type: 'text',
    description: 'ISO 4217 code of the amount.',
    format: (row) => row.deal.currencyIsoCode,
  },
  {
    key: 'closeDate',
    header: 'Close Date',
    type: 'date',
    description: 'Expected close date (`CloseDate`).',
    format: (row) => row.deal.closeDate,
    source: (row) => dealField(row, 'CloseDate'),
  },
  {
    key: 'forecastCategory',
    header: 'Forecast Category',
    type: 'text',
    description: "The stage's forecast category (Pipeline, Best Case, Commit).",
    format: (row) => row.stage?.forecastCategory,
  },
  {
    key: 'probability',
    header: 'Probability (%)',
    type: 'percent',
    description: "The stage's configured probability, 0 to 100.",
    format: (row) => row.stage?.probability,
  },
  {
    key: 'pendingRequestId',
    header: 'Pending Request Id',
    type: 'text',
    description: 'Id of the pending `Stage_Request__c`, if any.',
    format: (row) => row.deal.pendingRequest?.id,
  },
  {
    key: 'pendingRequest',
    header: 'Pending Request',
    type: 'text',
    description: 'The requested move, such as "Advance to Validating".',
    format: (row) =>
      row.deal.pendingRequest ? requestText(row.deal.pendingRequest) : null,
  },
  {
    key: 'waitingFor',
    header: 'Waiting For',
    type: 'text',
    description:
      'The side that must answer the pending request: Vendor or Partner. Blank when its requester left the requesting side, because then only a withdrawal ends it.',
    format: (row) => {
      const request = row.deal.pendingRequest;
      if (!request || request.requesterLeftSide === true) return null;
      return request.requestingSide === 'Vendor' ? 'Partner' : 'Vendor';
    },
  },
];

async function* pipelineRows(
  input: PipelineInput,
): AsyncGenerator<PipelineRow> {
  const catalog = buildStageCatalog(input.stages);
  for await (const deal of input.deals) {
    const stage = findStage(catalog, deal.model, deal.stage);
    if (stage?.closed) continue;
    yield { deal, stage, daysInStage: stageDays(deal, input) };
  }
}

/** Returns the days in stage, or fails naming the deal when its entry instant is invalid. */
function stageDays(deal: PipelineDeal, input: PipelineInput): number | null {
  if (deal.stageEnteredAt === null) return null;
  let enteredAt: string;
  try {
    enteredAt = canonicalInstant(
      deal.stageEnteredAt,
      'Cosell_Stage_Entered_At__c',
    );
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw invalidStoredValue(
      {
        object: 'Opportunity',
        recordId: deal.id,
        field: 'Cosell_Stage_Entered_At__c',
      },
      deal.stageEnteredAt,
      'an ISO 8601 instant with an offset, such as 2026-03-01T09:30:00Z',
    );
  }
  return daysInStage(enteredAt, input.asOf, input.zone);
}

export const pipelineReport: ReportDefinition<PipelineInput, PipelineRow> = {
  name: 'pipeline',
  title: 'Co-sell pipeline',
  description: 'One row per open deal as of the snapshot instant.',
  columns: PIPELINE_COLUMNS,
  rows: pipelineRows,
};
