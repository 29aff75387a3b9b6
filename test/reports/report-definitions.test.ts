import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { buildAgenda } from '../../middleware/src/domain/lifecycle/agenda.js';
import type {
  AgendaCriterion,
  AgendaInput,
  AgendaRequest,
} from '../../middleware/src/domain/lifecycle/agenda.js';
import { renderAgendaMarkdown } from '../../middleware/src/domain/lifecycle/agenda-markdown.js';
import { buildAttributionSnapshot } from '../../middleware/src/domain/lifecycle/attribution.js';
import { forecastPeriod } from '../../middleware/src/domain/lifecycle/forecast.js';
import type {
  LifecycleDeal,
  LifecycleRegistration,
  LifecycleTransition,
} from '../../middleware/src/domain/lifecycle/types.js';
import type { Column } from '../../middleware/src/reports/columns.js';
import { CsvWriter } from '../../middleware/src/reports/csv-writer.js';
import { agendaReport } from '../../middleware/src/reports/definitions/agenda.js';
import { attributionReport } from '../../middleware/src/reports/definitions/attribution.js';
import { forecastReport } from '../../middleware/src/reports/definitions/forecast.js';
import {
  buildFunnel,
  funnelReport,
} from '../../middleware/src/reports/definitions/funnel.js';
import { pipelineReport } from '../../middleware/src/reports/definitions/pipeline.js';
import type { PipelineDeal } from '../../middleware/src/reports/definitions/pipeline.js';
import { scorecardReport } from '../../middleware/src/reports/definitions/scorecard.js';
import type { ScorecardInputRow } from '../../middleware/src/reports/definitions/scorecard.js';
import { stageHistoryReport } from '../../middleware/src/reports/definitions/stage-history.js';
import type { StageHistoryTransition } from '../../middleware/src/reports/definitions/stage-history.js';
import type { ReportDefinition } from '../../middleware/src/reports/report-definition.js';
import { ReportError } from '../../middleware/src/reports/report-error.js';
import { DEFAULT_STAGES } from '../domain/lifecycle/default-stages.js';
import { CollectingOutput } from './report-output.js';

/** Exports a report as CSV and reads it back as objects keyed by header. */
async function csvRecords<Input, Row>(
  report: ReportDefinition<Input, Row>,
  input: Input,
): Promise<Record<string, string>[]> {
  const out = new CollectingOutput();
  await new CsvWriter(report.columns).writeRows(report.rows(input), out);
  return parse(out.text, { columns: true });
}

function headers<Row>(columns: readonly Column<Row>[]): string[] {
  return columns.map((column) => column.header);
}

describe('pipeline report', () => {
  const deals: PipelineDeal[] = [
    {
      id: '006000000000001AAA',
      name: '=Acme renewal',
      model: 'Default',
      stage: 'Validating',
      stageEnteredAt: '2026-11-30T23:30:00-05:00',
      amount: '-12.50',
      currencyIsoCode: 'EUR',
      closeDate: '2027-01-31',
      partnerAccount: { id: '001000000000001AAA', name: 'Northwind' },
      pendingRequest: {
        id: 'a0R000000000001AAA',
        kind: 'Advance',
        toStage: 'Negotiating',
        requestingSide: 'Vendor',
      },
    },
    {
      id: '006000000000002AAA',
      name: 'Unknown stage',
      model: 'Default',
      stage: 'Retired_Stage',
      stageEnteredAt: null,
      amount: null,
      currencyIsoCode: 'USD',
      closeDate: null,
      partnerAccount: null,
      pendingRequest: null,
    },
    {
      id: '006000000000003AAA',
      name: 'Already won',
      model: 'Default',
      stage: 'Closed_Attributed',
      stageEnteredAt: '2026-11-01T00:00:00Z',
      amount: '5',
      currencyIsoCode: 'USD',
      closeDate: '2026-11-01',
      partnerAccount: null,
      pendingRequest: null,
    },
  ];

  it('describes open deals with stage settings', async () => {
    const records = await csvRecords(pipelineReport, {
      asOf: '2026-12-04T15:00:00Z',
      zone: 'America/New_York',
      stages: DEFAULT_STAGES,
      deals,
    });

    expect(records).toHaveLength(2);
    const first = records[0]!;
    expect(first['Deal']).toBe("'=Acme renewal");
    expect(first['Partner']).toBe('Northwind');
    expect(first['Stage Order']).toBe('3');
    // Entered at 23:30 on 30 November in New York; 4 December is 4 days on.
    expect(first['Days in Stage']).toBe('4');
    expect(first['Amount']).toBe('-12.50');
    expect(first['Forecast Category']).toBe('Best Case');
    expect(first['Probability (%)']).toBe('50');
    expect(first['Pending Request']).toBe('Advance to Negotiating');
    expect(first['Waiting For']).toBe('Partner');
    expect(records[1]!['Stage Label']).toBe('');
    expect(records[1]!['Days in Stage']).toBe('');
  });
});

describe('stage-history report', () => {
  const transition: StageHistoryTransition = {
    id: 'a0T000000000001AAA',
    name: 'ST-000001',
    dealId: '006000000000001AAA',
    dealName: '@Acme, "big" deal',
    fromStage: 'Registered',
    toStage: 'Jointly_Qualified',
    requestId: 'a0R000000000001AAA',
    requestedById: '005000000000001AAA',
    requestedByName: 'Dana Vendor',
    confirmedById: '005000000000002AAA',
    confirmedByName: 'Pat Partner',
    at: '2026-12-04T10:00:00.000Z',
    oneSided: false,
    version: 2,
    evidenceSnapshot: JSON.stringify([
      {
        name: 'Registration_Approved',
        label: 'Registration approved',
        met: true,
      },
      { name: 'Owners_Set', label: 'Owners set', met: true },
      { name: 'Qualified', label: 'Joint qualification', met: false },
    ]),
  };

  it('summarises the evidence of each move', async () => {
    const [record] = await csvRecords(stageHistoryReport, {
      transitions: [transition],
    });

    expect(Object.keys(record!)).toEqual(headers(stageHistoryReport.columns));
    expect(record!['Deal']).toBe('\'@Acme, "big" deal');
    expect(record!['One-Sided']).toBe('false');
    expect(record!['Version']).toBe('2');
    expect(record!['Evidence']).toBe(
      '2 of 3 criteria met. Met: Registration approved; Owners set. Unmet: Joint qualification.',
    );
  });

  it('rejects an unreadable evidence snapshot', async () => {
    const broken = { ...transition, evidenceSnapshot: '{"oops"' };

    await expect(
      csvRecords(stageHistoryReport, { transitions: [broken] }),
    ).rejects.toThrow(
      'The evidence snapshot of transition a0T000000000001AAA is not a JSON array',
    );
  });
});

describe('attribution report', () => {
  const partners = [
    {
      dealId: 'D1',
      partnerAccountId: 'P1',
      role: 'Sourcing' as const,
      splitPercent: '66.67',
    },
    {
      dealId: 'D1',
      partnerAccountId: 'P2',
      role: 'Influencing' as const,
      splitPercent: 33.33,
    },
  ];

  it('splits each won deal by partner', async () => {
    const snapshot = buildAttributionSnapshot(
      { id: 'D1', amount: '100.01', currencyIsoCode: 'USD' },
      partners,
      '2026-12-01T09:00:00Z',
    );
    const records = await csvRecords(attributionReport, {
      deals: [
        {
          dealId: 'D1',
          dealName: 'Deal one',
          closedAt: '2026-12-01T09:00:00Z',
          snapshot: JSON.stringify(snapshot),
        },
        {
          dealId: 'D2',
          dealName: 'No partners',
          closedAt: '2026-12-02T09:00:00Z',
          snapshot: buildAttributionSnapshot(
            { id: 'D2', amount: '10', currencyIsoCode: 'EUR' },
            [],
            '2026-12-02T09:00:00Z',
          ),
        },
      ],
      partners: [{ id: 'P1', name: 'Northwind' }],
    });

    expect(records).toHaveLength(3);
    expect(records.map((record) => record['Partner'])).toEqual([
      'Northwind',
      'P2',
      '',
    ]);
    expect(records.map((record) => record['Split (%)'])).toEqual([
      '66.67',
      '33.33',
      '',
    ]);
    const shares = records.slice(0, 2).map((r) => r['Amount Attributed']);
    expect(shares).toEqual(['66.68', '33.33']);
    expect(records[2]!['Attribution Problems']).toContain('no Deal_Partner__c');
  });

  it('leaves an unreadable split empty', async () => {
    const snapshot = buildAttributionSnapshot(
      { id: 'D3', amount: '50', currencyIsoCode: 'USD' },
      [{ ...partners[0]!, splitPercent: null }],
      '2026-12-03T09:00:00Z',
    );
    const [record] = await csvRecords(attributionReport, {
      deals: [
        {
          dealId: 'D3',
          dealName: 'Bad split',
          closedAt: '2026-12-03T09:00:00Z',
          snapshot,
        },
      ],
    });

    expect(record!['Split (%)']).toBe('');
    expect(record!['Attribution Problems']).toContain('split "null"');
  });

  it('rejects a snapshot without partners', async () => {
    const attempt = csvRecords(attributionReport, {
      deals: [
        {
          dealId: 'D4',
          dealName: 'x',
          closedAt: '2026-12-03T09:00:00Z',
          snapshot: '{}',
        },
      ],
    });

    await expect(attempt).rejects.toThrow(ReportError);
  });
});

describe('scorecard report', () => {
  it('writes rates as percentages', async () => {
    const scorecard: ScorecardInputRow = {
      partnerAccount: { id: 'P1', name: 'Northwind' },
      registrations: {
        total: 5,
        approved: 2,
        rejected: 1,
        expired: 1,
        pending: 1,
        approvalRate: 0.6667,
      },
      deals: { open: 3, won: 1, lost: 3, winRate: 0.25 },
      currency: 'USD',
      sourcedRevenue: '1000.00',
      influencedRevenue: '0.00',
      forecastAccuracy: {
        periods: 3,
        hitRate: 2 / 3,
        meanAbsoluteError: '120.50',
        meanAbsolutePercentageError: 12.5,
      },
    };
    const [record] = await csvRecords(scorecardReport, {
      scorecards: [scorecard],
    });

    expect(record!['Approval Rate (%)']).toBe('66.67');
    expect(record!['Win Rate (%)']).toBe('25');
    expect(record!['Forecast Hit Rate (%)']).toBe('66.67');
    expect(record!['Forecast MAPE (%)']).toBe('12.5');
    expect(record!['Sourced Revenue']).toBe('1000.00');
  });
});

describe('funnel report', () => {
  const deals = ['d1', 'd2', 'd3', 'd4'].map((id) => ({
    id,
    model: 'Default',
  }));
  const move = (
    dealId: string,
    fromStage: string | null,
    toStage: string,
    day: number,
  ): LifecycleTransition => ({
    dealId,
    fromStage,
    toStage,
    at: `2026-0${day}-01T00:00:00Z`,
    oneSided: false,
  });
  // Out of time order on purpose: the funnel must not depend on it.
  const transitions = [
    move('d1', 'Jointly_Qualified', 'Validating', 3),
    move('d1', null, 'Registered', 1),
    move('d1', 'Registered', 'Jointly_Qualified', 2),
    move('d2', null, 'Registered', 1),
    move('d2', 'Registered', 'Closed_Lost', 2),
    move('d3', 'Negotiating', 'Closed_Attributed', 5),
    move('d3', null, 'Registered', 1),
    move('d3', 'Registered', 'Jointly_Qualified', 2),
    move('d3', 'Jointly_Qualified', 'Validating', 3),
    move('d3', 'Validating', 'Negotiating', 4),
    move('d4', null, 'Registered', 1),
  ];

  it('counts entered, advanced, lost and still in', async () => {
    const rows = await buildFunnel({
      stages: DEFAULT_STAGES,
      deals,
      transitions,
    });
    const byStage = new Map(rows.map((row) => [row.stage, row]));

    expect(rows.map((row) => row.stage)).toEqual([
      'Registered',
      'Jointly_Qualified',
      'Validating',
      'Negotiating',
      'Closed_Attributed',
    ]);
    expect(byStage.get('Registered')).toMatchObject({
      entered: 4,
      advanced: 2,
      lost: 1,
      stillIn: 1,
    });
    expect(byStage.get('Registered')!.conversionToNext).toBeCloseTo(2 / 3);
    expect(byStage.get('Validating')).toMatchObject({
      entered: 2,
      advanced: 1,
      stillIn: 1,
      conversionToNext: 1,
    });
    expect(byStage.get('Closed_Attributed')).toMatchObject({
      entered: 1,
      advanced: null,
      conversionToNext: null,
    });
  });

  it('writes conversion as a percentage', async () => {
    const out = new CollectingOutput();
    await new CsvWriter(funnelReport.columns).writeRows(
      funnelReport.rows({ stages: DEFAULT_STAGES, deals, transitions }),
      out,
    );
    const records: Record<string, string>[] = parse(out.text, {
      columns: true,
    });

    expect(records[0]!['Conversion to Next (%)']).toBe('66.67');
    expect(records[4]!['Conversion to Next (%)']).toBe('');
    expect(records[4]!['Advanced']).toBe('');
  });
});

describe('forecast report', () => {
  const settings = {
    zone: 'America/New_York',
    fiscal: { startMonth: 1, yearBasedOn: 'ending' as const },
    currency: { corporate: 'USD', rates: { EUR: '1.08' } },
  };
  const deals: LifecycleDeal[] = [
    ['a', 'Validating', '1000.10', '2027-02-15'],
    ['b', 'Negotiating', '2000', '2027-03-01'],
    ['c', 'Closed_Attributed', '500', '2027-01-20'],
    ['d', 'Registered', '700', '2027-05-05'],
  ].map(([id, stage, amount, closeDate]) => ({
    id: id!,
    name: `Deal ${id}`,
    partnerAccountId: 'P1',
    model: 'Default',
    stage: stage!,
    stageEnteredAt: '2026-12-01T00:00:00Z',
    amount: amount!,
    currencyIsoCode: 'USD',
    closeDate: closeDate!,
  }));

  it('writes one row per period', async () => {
    const forecasts = ['FY2027-Q1', 'FY2027-Q2'].map((period) =>
      forecastPeriod(
        { stages: DEFAULT_STAGES, deals, transitions: [] },
        period,
        '2026-12-31T12:00:00Z',
        settings,
      ),
    );
    const records = await csvRecords(forecastReport, { forecasts });

    expect(records.map((record) => record['Period'])).toEqual([
      'FY2027-Q1',
      'FY2027-Q2',
    ]);
    forecasts.forEach((forecast, index) => {
      const record = records[index]!;
      expect(record['P10']).toBe(forecast.band.p10);
      expect(record['P50']).toBe(forecast.band.p50);
      expect(record['P90']).toBe(forecast.band.p90);
      expect(record['Expected']).toBe(forecast.expected);
      expect(record['Commit']).toBe(forecast.commit);
      expect(record['Best Case']).toBe(forecast.bestCase);
    });
    expect(records[0]!['Closed Amount']).toBe('500.00');
    expect(records[0]!['Closed Deals']).toBe('1');
    expect(records[0]!['Commit Amount']).toBe('2000.00');
  });
});

describe('agenda report', () => {
  const now = '2026-03-10T14:00:00Z';
  const request: AgendaRequest = {
    id: 'R1',
    dealId: 'D1',
    kind: 'Advance',
    fromStage: 'Registered',
    toStage: 'Jointly_Qualified',
    requestingSide: 'Partner',
    status: 'Pending',
    createdAt: '2026-03-07T10:00:00Z',
    expiresAt: '2026-03-14T10:00:00Z',
  };
  const registration: LifecycleRegistration = {
    id: 'G1',
    name: 'DR-00042',
    partnerAccountId: 'A',
    customerCompany: '+Contoso | Ltd',
    customerWebsite: null,
    customerCountry: 'DE',
    productLine: 'Platform',
    amount: '100',
    currencyIsoCode: 'EUR',
    expectedCloseDate: '2026-06-30',
    status: 'Approved',
    submittedAt: '2026-02-01T10:00:00Z',
    decidedAt: '2026-02-02T10:00:00Z',
    expiresAt: '2026-03-15T10:00:00Z',
    opportunityId: null,
  };
  const agendaInput: AgendaInput<
    AgendaRequest,
    AgendaCriterion,
    LifecycleRegistration
  > = {
    now,
    zone: 'Europe/Berlin',
    side: 'Vendor',
    partnerAccountId: null,
    expiringWithinDays: 14,
    stages: DEFAULT_STAGES,
    deals: [
      {
        id: 'D1',
        name: 'Acme',
        partnerAccountId: 'A',
        model: 'Default',
        stage: 'Registered',
        stageEnteredAt: '2026-03-01T10:00:00Z',
        amount: '1000',
        currencyIsoCode: 'USD',
        closeDate: '2026-06-30',
      },
      {
        id: 'D2',
        name: 'Stuck deal',
        partnerAccountId: 'A',
        model: 'Default',
        stage: 'Negotiating',
        stageEnteredAt: '2026-01-01T10:00:00Z',
        amount: '1000',
        currencyIsoCode: 'USD',
        closeDate: '2026-06-30',
      },
    ],
    partners: [{ id: 'A', name: 'Northwind' }],
    requests: [request],
    criteria: [],
    registrations: [registration],
  };
  const agenda = buildAgenda(agendaInput);

  it('lists items by section', async () => {
    const records = await csvRecords(agendaReport, { agenda });

    expect(records.map((record) => record['Section'])).toEqual([
      'waitingOnVendor',
      'stalled',
      'expiringRegistrations',
    ]);
    expect(records[0]!['Request Id']).toBe('R1');
    expect(records[0]!['Age (days)']).toBe('3');
    expect(records[1]!['Deal']).toBe('Stuck deal');
    expect(records[2]!['Customer']).toBe("'+Contoso | Ltd");
    expect(records[2]!['Days Left']).toBe('5');
  });

  it('marks a stage the model lacks', async () => {
    const withoutRegistered = buildAgenda({
      ...agendaInput,
      stages: DEFAULT_STAGES.filter((stage) => stage.value !== 'Registered'),
    });

    const records = await csvRecords(agendaReport, {
      agenda: withoutRegistered,
    });

    expect(records[0]!['Stage']).toBe('Registered (not in model)');
    expect(records[1]!['Stage']).toBe('In Negotiation & Approvals');
    expect(records[2]!['Stage']).toBe('');
  });

  it('renders markdown by section', async () => {
    const markdown = await agendaReport.markdown!({ agenda });

    expect(markdown).toBe(renderAgendaMarkdown(agenda));
    expect(markdown).toContain('## Waiting on the vendor (1)');
    expect(markdown).toContain('+Contoso \\| Ltd');
  });
});
