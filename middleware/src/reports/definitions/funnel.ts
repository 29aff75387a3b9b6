/**
 * The stage funnel. For each open stage of each model it counts the deals that
 * ever entered it, advanced past it, were lost without advancing, and are still
 * in it. The won stage counts the deals won. The counts come from one pass over
 * the transition history, which may arrive in any order.
 *
 * Conversion to next is advanced / (entered - still in): the deals still in the
 * stage have not had their chance yet, as in the partner scorecard.
 */
import { DomainError } from '../../domain/domain-error.js';
import { canonicalInstant } from '../../domain/lifecycle/calendar.js';
import { buildStageCatalog } from '../../domain/lifecycle/stage-catalog.js';
import type {
  LifecycleDeal,
  LifecycleStage,
  LifecycleTransition,
} from '../../domain/lifecycle/types.js';
import { renderFunnelChart } from '../charts/funnel-chart.js';
import type { Column } from '../columns.js';
import type { ReportDefinition } from '../report-definition.js';
import { invalidStoredValue, ReportError } from '../report-error.js';
import { ratioToPercent } from './scorecard.js';

export interface FunnelInput {
  stages: readonly LifecycleStage[];
  /** The model of every deal the transitions mention. */
  deals: Iterable<Pick<LifecycleDeal, 'id' | 'model'>>;
  transitions:
    | AsyncIterable<LifecycleTransition>
    | Iterable<LifecycleTransition>;
  /** The model the SVG chart shows; the first model with deals when absent. */
  chartModel?: string;
}

export interface FunnelRow {
  model: string;
  stage: string;
  label: string;
  order: number;
  won: boolean;
  entered: number;
  /** Null on the won stage, which is never left. */
  advanced: number | null;
  lost: number | null;
  stillIn: number | null;
  /** 0 to 1; null on the won stage and when no deal has left the stage. */
  conversionToNext: number | null;
}

interface DealPath {
  visited: Set<string>;
  lastAt: string;
  last: string;
}

/** Returns the canonical `at` of a transition, or fails naming the stored record. */
function transitionInstant(transition: LifecycleTransition): string {
  try {
    return canonicalInstant(transition.at, 'Transitioned_At__c');
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw invalidStoredValue(
      transition.id === undefined
        ? {
            object: 'Stage_Transition__c of Opportunity',
            recordId: transition.dealId,
            field: 'Transitioned_At__c',
          }
        : {
            object: 'Stage_Transition__c',
            recordId: transition.id,
            field: 'Transitioned_At__c',
          },
      transition.at,
      'an ISO 8601 instant with an offset, such as 2026-03-01T09:30:00Z',
    );
  }
}

// NOTE: memory grows with the number of deals in the history (one small entry per deal), unlike the streamed table reports.
/** Reads the transitions once and returns each deal's visited and last stage. */
async function collectPaths(
  transitions: FunnelInput['transitions'],
): Promise<Map<string, DealPath>> {
  const paths = new Map<string, DealPath>();
  for await (const transition of transitions) {
    const at = transitionInstant(transition);
    const path = paths.get(transition.dealId);
    if (!path) {
      paths.set(transition.dealId, {
        visited: new Set([transition.toStage]),
        lastAt: at,
        last: transition.toStage,
      });
      continue;
    }
    path.visited.add(transition.toStage);
    if (at >= path.lastAt) {
      path.lastAt = at;
      path.last = transition.toStage;
    }
  }
  return paths;
}

/** Counts the funnel of every model; rows are ordered by model, then stage order. */
export async function buildFunnel(input: FunnelInput): Promise<FunnelRow[]> {
  const catalog = buildStageCatalog(input.stages);
  const paths = await collectPaths(input.transitions);
  const rows = new Map<string, FunnelRow>();
  const models = [...catalog.keys()].sort();
  for (const model of models) {
    for (const stage of catalog.get(model)!.stages) {
      if (stage.closed && !stage.won) continue;
      rows.set(`${model}\u0000${stage.value}`, {
        model,
        stage: stage.value,
        label: stage.label,
        order: stage.order,
        won: stage.won,
        entered: 0,
        advanced: stage.won ? null : 0,
        lost: stage.won ? null : 0,
        stillIn: stage.won ? null : 0,
        conversionToNext: null,
      });
    }
  }

  for (const deal of input.deals) {
    const path = paths.get(deal.id);
    const stages = catalog.get(deal.model);
    if (!path || !stages) continue;
    const last = stages.byValue.get(path.last);
    const lostAtEnd = last !== undefined && last.closed && !last.won;
    const reached = [...path.visited]
      .map((value) => stages.byValue.get(value))
      .filter((stage) => stage !== undefined && (!stage.closed || stage.won));
    for (const stage of reached) {
      const row = rows.get(`${deal.model}\u0000${stage!.value}`)!;
      row.entered++;
      if (stage!.won) continue;
      const advanced = reached.some((other) => other!.order > stage!.order);
      if (advanced) row.advanced!++;
      else if (lostAtEnd) row.lost!++;
      else if (path.last === stage!.value) row.stillIn!++;
    }
  }

  for (const row of rows.values()) {
    if (row.won) continue;
    const left = row.entered - row.stillIn!;
    row.conversionToNext = left === 0 ? null : row.advanced! / left;
  }
  return [...rows.values()];
}

async function* funnelRows(input: FunnelInput): AsyncGenerator<FunnelRow> {
  yield* await buildFunnel(input);
}

export const FUNNEL_COLUMNS: readonly Column<FunnelRow>[] = [
  { key: 'model', header: 'Model', type: 'text', description: 'Stage model.' },
  { key: 'stage', header: 'Stage', type: 'text', description: 'Stage value.' },
  {
    key: 'label',
    header: 'Stage Label',
    type: 'text',
    description: "The stage's label.",
  },
  {
    key: 'order',
    header: 'Stage Order',
    type: 'integer',
    description: "The stage's position in its model, from 1.",
  },
  {
    key: 'entered',
    header: 'Entered',
    type: 'integer',
    description:
      'Deals that were ever in the stage; on the won stage, the deals won.',
  },
  {
    key: 'advanced',
    header: 'Advanced',
    type: 'integer',
    description:
      'Of those, deals that later reached a later open stage or the won stage.',
  },
  {
    key: 'lost',
    header: 'Lost',
    type: 'integer',
    description: 'Of those, deals that did not advance and ended lost.',
  },
  {
    key: 'stillIn',
    header: 'Still In',
    type: 'integer',
    description: 'Of those, deals in the stage now.',
  },
  {
    key: 'conversionToNext',
    header: 'Conversion to Next (%)',
    type: 'percent',
    description:
      'Advanced / (entered - still in), 0 to 100; empty on the won stage and when no deal has left the stage.',
    format: (row) => ratioToPercent(row.conversionToNext),
  },
];

/** Picks the chart's model: the requested one, or the first with deals. */
function chartRows(rows: FunnelRow[], model: string | undefined): FunnelRow[] {
  const models = [...new Set(rows.map((row) => row.model))];
  if (model !== undefined && !models.includes(model)) {
    throw new ReportError(
      'invalid_report_value',
      `The funnel has no stage model "${model}".`,
      `Chart one of: ${models.join(', ') || '(no models loaded)'}.`,
      model,
    );
  }
  const chosen =
    model ?? rows.find((row) => row.entered > 0)?.model ?? models[0];
  return rows.filter((row) => row.model === chosen);
}

export const funnelReport: ReportDefinition<FunnelInput, FunnelRow> = {
  name: 'funnel',
  title: 'Co-sell stage funnel',
  description:
    'One row per open stage and won stage of each model, with the deals that entered, advanced, were lost or are still in it.',
  columns: FUNNEL_COLUMNS,
  rows: funnelRows,
  svg: async (input) =>
    renderFunnelChart(chartRows(await buildFunnel(input), input.chartModel)),
};
