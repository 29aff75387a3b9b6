/**
 * The stage history: one row per confirmed move (`Stage_Transition__c`), in the
 * order the input yields them. The rows are the input records themselves, so a
 * history of any length streams without being held in memory.
 */
import type { Column } from '../columns.js';
import { summarizeEvidence } from '../evidence-summary.js';
import type { ReportDefinition } from '../report-definition.js';

/** A transition as the report reads it; a `StageTransition` has every required field. */
export interface StageHistoryTransition {
  id: string;
  /** Auto number such as `ST-000042`. */
  name?: string | null;
  dealId: string;
  /** `Opportunity__r.Name`, when the read joined it. */
  dealName?: string | null;
  fromStage: string | null;
  toStage: string;
  requestId?: string | null;
  requestedById: string;
  requestedByName?: string | null;
  confirmedById: string;
  confirmedByName?: string | null;
  /** `Transitioned_At__c`. */
  at: string;
  oneSided: boolean;
  /** The deal's version after the move. */
  version: number;
  /** JSON array of the criterion results that allowed the move. */
  evidenceSnapshot: string;
}

export interface StageHistoryInput {
  transitions:
    | AsyncIterable<StageHistoryTransition>
    | Iterable<StageHistoryTransition>;
}

export const STAGE_HISTORY_COLUMNS: readonly Column<StageHistoryTransition>[] =
  [
    {
      key: 'transitionId',
      header: 'Transition Id',
      type: 'text',
      description: 'Id of the `Stage_Transition__c` record.',
      format: (row) => row.id,
    },
    {
      key: 'transitionName',
      header: 'Transition',
      type: 'text',
      description: 'Auto number of the transition, such as ST-000042.',
      format: (row) => row.name,
    },
    {
      key: 'dealId',
      header: 'Deal Id',
      type: 'text',
      description: 'Opportunity Id.',
    },
    {
      key: 'dealName',
      header: 'Deal',
      type: 'text',
      description: 'Opportunity name; empty when the read did not join it.',
    },
    {
      key: 'fromStage',
      header: 'From Stage',
      type: 'text',
      description:
        'Stage value before the move; empty for the move that gave the deal its first stage.',
    },
    {
      key: 'toStage',
      header: 'To Stage',
      type: 'text',
      description: 'Stage value after the move.',
    },
    {
      key: 'requestedById',
      header: 'Requested By Id',
      type: 'text',
      description: 'User Id of the requester.',
    },
    {
      key: 'requestedBy',
      header: 'Requested By',
      type: 'text',
      description: 'Name of the requester.',
      format: (row) => row.requestedByName,
    },
    {
      key: 'confirmedById',
      header: 'Confirmed By Id',
      type: 'text',
      description:
        'User Id of the confirmer, on the other side from the requester; for a one-sided override, the channel manager who applied it.',
    },
    {
      key: 'confirmedBy',
      header: 'Confirmed By',
      type: 'text',
      description: 'Name of the confirmer.',
      format: (row) => row.confirmedByName,
    },
    {
      key: 'at',
      header: 'At',
      type: 'datetime',
      description: 'When the move was applied (`Transitioned_At__c`), UTC.',
      source: (row) => ({
        object: 'Stage_Transition__c',
        recordId: row.id,
        field: 'Transitioned_At__c',
      }),
    },
    {
      key: 'oneSided',
      header: 'One-Sided',
      type: 'boolean',
      description:
        'True only for an expired Close Lost request applied by a channel manager without the other side.',
    },
    {
      key: 'version',
      header: 'Version',
      type: 'integer',
      description: "The deal's `Cosell_Stage_Version__c` after the move.",
    },
    {
      key: 'evidenceSummary',
      header: 'Evidence',
      type: 'text',
      description:
        'The criteria checked for the move, such as "2 of 3 criteria met. Met: A; B. Unmet: C."',
      format: (row) =>
        summarizeEvidence(row.evidenceSnapshot, `transition ${row.id}`),
    },
  ];

export const stageHistoryReport: ReportDefinition<
  StageHistoryInput,
  StageHistoryTransition
> = {
  name: 'stage-history',
  title: 'Co-sell stage history',
  description:
    'One row per confirmed stage move, with who asked, who confirmed and the evidence.',
  columns: STAGE_HISTORY_COLUMNS,
  rows: (input) => input.transitions,
};
