/**
 * Attribution of closed-won deals: one row per deal partner, from the
 * attribution snapshot kept with the move that closed the deal as won, so the
 * report shows the credit as it stood at closing.
 */
import type { AttributionSnapshot } from '../../domain/lifecycle/attribution.js';
import type { PartnerRef } from '../../domain/lifecycle/types.js';
import type { Column } from '../columns.js';
import { ReportError } from '../report-error.js';
import type { ReportDefinition } from '../report-definition.js';

/** The snapshot fields the report reads; an `AttributionSnapshot` has them all. */
export type AttributionSnapshotInput = Pick<
  AttributionSnapshot,
  'amount' | 'currencyIsoCode' | 'partners' | 'problems'
>;

/** A closed-won deal with its attribution snapshot (the object or its JSON). */
export interface AttributedDeal {
  dealId: string;
  dealName: string;
  /** `Transitioned_At__c` of the move into the won stage. */
  closedAt: string;
  /** The `Stage_Transition__c` Id of that move, where the input read it. */
  transitionId?: string;
  snapshot: AttributionSnapshotInput | string;
}

export interface AttributionInput {
  deals: AsyncIterable<AttributedDeal> | Iterable<AttributedDeal>;
  /** Partner names; a partner not listed is shown by its Id. */
  partners?: readonly PartnerRef[];
}

export interface AttributionRow {
  deal: AttributedDeal;
  snapshot: AttributionSnapshotInput;
  /** Undefined on the one row of a deal that has no partners. */
  partner: AttributionSnapshotInput['partners'][number] | undefined;
  partnerName: string | undefined;
}

function parseSnapshot(deal: AttributedDeal): AttributionSnapshotInput {
  if (typeof deal.snapshot !== 'string') return deal.snapshot;
  let parsed: unknown;
  try {
    parsed = JSON.parse(deal.snapshot);
  } catch {
    parsed = undefined;
  }
  const shaped = parsed as Partial<AttributionSnapshotInput> | undefined;
  if (!shaped || !Array.isArray(shaped.partners)) {
    throw new ReportError(
      'invalid_report_value',
      `The attribution snapshot of deal ${deal.dealId} is not a JSON object with a partners array: ${deal.snapshot.slice(0, 60)}`,
      'Repair Attribution_Snapshot__c of the transition that closed the deal as won.',
      deal.snapshot.slice(0, 200),
    );
  }
  return {
    amount: shaped.amount ?? null,
    currencyIsoCode: shaped.currencyIsoCode ?? '',
    partners: shaped.partners,
    problems: Array.isArray(shaped.problems) ? shaped.problems : [],
  };
}

const DECIMAL_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

export const ATTRIBUTION_COLUMNS: readonly Column<AttributionRow>[] = [
  {
    key: 'dealId',
    header: 'Deal Id',
    type: 'text',
    description: 'Opportunity Id.',
    format: (row) => row.deal.dealId,
  },
  {
    key: 'dealName',
    header: 'Deal',
    type: 'text',
    description: 'Opportunity name.',
    format: (row) => row.deal.dealName,
  },
  {
    key: 'closedAt',
    header: 'Closed At',
    type: 'datetime',
    description: 'When the move into the won stage was applied.',
    format: (row) => row.deal.closedAt,
    source: (row) =>
      row.deal.transitionId === undefined
        ? undefined
        : {
            object: 'Stage_Transition__c',
            recordId: row.deal.transitionId,
            field: 'Transitioned_At__c',
          },
  },
  {
    key: 'partnerAccountId',
    header: 'Partner Id',
    type: 'text',
    description:
      'Account Id of the deal partner; empty on the row of a deal without partners.',
    format: (row) => row.partner?.partnerAccountId,
  },
  {
    key: 'partnerName',
    header: 'Partner',
    type: 'text',
    description: 'Name of the partner account.',
    format: (row) => row.partnerName,
  },
  {
    key: 'role',
    header: 'Role',
    type: 'text',
    description: 'Sourcing or Influencing (`Deal_Partner__c.Role__c`).',
    format: (row) => row.partner?.role,
  },
  {
    key: 'splitPercent',
    header: 'Split (%)',
    type: 'percent',
    description: "The partner's share of the credit, 0 to 100.",
    // A snapshot keeps an unreadable split as its text; the problems column
    // explains it, so the cell stays empty.
    format: (row) => {
      const split = row.partner?.splitPercent;
      return split !== undefined && DECIMAL_TEXT.test(split) ? split : null;
    },
  },
  {
    key: 'dealAmount',
    header: 'Deal Amount',
    type: 'currency',
    description: 'Deal amount at closing, in the deal currency.',
    // NOTE: a malformed amount inside Attribution_Snapshot__c still fails with
    // invalid_report_value naming the row and column, not the transition.
    format: (row) => row.snapshot.amount,
  },
  {
    key: 'amountAttributed',
    header: 'Amount Attributed',
    type: 'currency',
    description:
      "The partner's share of the amount; the shares of a deal add up to its amount exactly.",
    format: (row) => row.partner?.amount,
  },
  {
    key: 'currencyIsoCode',
    header: 'Currency',
    type: 'text',
    description: 'ISO 4217 code of the amounts.',
    format: (row) => row.snapshot.currencyIsoCode,
  },
  {
    key: 'problems',
    header: 'Attribution Problems',
    type: 'text',
    description:
      'What was wrong with the attribution at closing (such as splits not adding up to 100); empty when valid.',
    format: (row) =>
      row.snapshot.problems.map((problem) => problem.message).join(' '),
  },
];

async function* attributionRows(
  input: AttributionInput,
): AsyncGenerator<AttributionRow> {
  const names = new Map(
    (input.partners ?? []).map((partner) => [partner.id, partner.name]),
  );
  for await (const deal of input.deals) {
    const snapshot = parseSnapshot(deal);
    if (snapshot.partners.length === 0) {
      yield { deal, snapshot, partner: undefined, partnerName: undefined };
      continue;
    }
    for (const partner of snapshot.partners) {
      const id = partner.partnerAccountId;
      yield { deal, snapshot, partner, partnerName: names.get(id) ?? id };
    }
  }
}

export const attributionReport: ReportDefinition<
  AttributionInput,
  AttributionRow
> = {
  name: 'attribution',
  title: 'Co-sell attribution',
  description:
    'One row per partner of each closed-won deal, with its role, split and amount.',
  columns: ATTRIBUTION_COLUMNS,
  rows: attributionRows,
};
