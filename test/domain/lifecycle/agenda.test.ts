import { describe, expect, it } from '@jest/globals';
import { buildAgenda } from '../../../middleware/src/domain/lifecycle/agenda.js';
import type {
  AgendaCriterion,
  AgendaInput,
  AgendaRequest,
} from '../../../middleware/src/domain/lifecycle/agenda.js';
import {
  escapeCell,
  renderAgendaMarkdown,
} from '../../../middleware/src/domain/lifecycle/agenda-markdown.js';
import type {
  LifecycleDeal,
  LifecycleRegistration,
} from '../../../middleware/src/domain/lifecycle/types.js';
import { DEFAULT_STAGES } from './default-stages.js';

const NOW = '2026-03-10T14:00:00Z';

function deal(
  id: string,
  name: string,
  stage: string,
  stageEnteredAt: string,
  partnerAccountId = 'A',
): LifecycleDeal {
  return {
    id,
    name,
    partnerAccountId,
    model: 'Default',
    stage,
    stageEnteredAt,
    amount: '1000',
    currencyIsoCode: 'USD',
    closeDate: '2026-06-30',
  };
}

function request(
  id: string,
  dealId: string,
  overrides: Partial<AgendaRequest> = {},
): AgendaRequest {
  return {
    id,
    dealId,
    kind: 'Advance',
    fromStage: 'Validating',
    toStage: 'Negotiating',
    requestingSide: 'Vendor',
    status: 'Pending',
    createdAt: '2026-03-07T15:00:00Z',
    expiresAt: '2026-03-14T15:00:00Z',
    ...overrides,
  };
}

function registration(
  id: string,
  status: LifecycleRegistration['status'],
  expiresAt: string | null,
  partnerAccountId = 'A',
): LifecycleRegistration {
  return {
    id,
    name: id,
    partnerAccountId,
    customerCompany: 'Fabrikam | Retail',
    customerWebsite: null,
    customerCountry: null,
    productLine: 'Security',
    amount: null,
    currencyIsoCode: 'USD',
    expectedCloseDate: null,
    status,
    submittedAt: '2026-01-01T00:00:00Z',
    decidedAt: null,
    expiresAt,
    opportunityId: null,
  };
}

const INPUT: AgendaInput<
  AgendaRequest,
  AgendaCriterion,
  LifecycleRegistration
> = {
  now: NOW,
  zone: 'America/New_York',
  side: 'Vendor',
  partnerAccountId: null,
  expiringWithinDays: 14,
  stages: DEFAULT_STAGES,
  partners: [
    { id: 'A', name: 'Apex Integration Partners' },
    { id: 'B', name: 'Bluewater Consulting' },
  ],
  deals: [
    deal('d1', 'Contoso | Platform', 'Validating', '2026-03-01T15:00:00Z'),
    deal('d2', 'Northwind\nAnalytics', 'Registered', '2026-02-01T15:00:00Z'),
    deal('d3', 'Tailspin', 'Negotiating', '2026-03-05T15:00:00Z', 'B'),
    deal('d4', 'Woodgrove', 'Jointly_Qualified', '2026-02-10T15:00:00Z', 'B'),
    deal('d5', 'Closed deal', 'Closed_Lost', '2025-01-01T00:00:00Z'),
  ],
  requests: [
    request('r1', 'd1'),
    request('r2', 'd3', {
      kind: 'Close Lost',
      fromStage: 'Negotiating',
      toStage: 'Closed_Lost',
      requestingSide: 'Partner',
      createdAt: '2026-02-20T15:00:00Z',
      expiresAt: '2026-02-27T15:00:00Z',
    }),
    request('r3', 'd4', { status: 'Rejected' }),
  ],
  criteria: [
    {
      dealId: 'd1',
      held: [
        {
          name: 'Qualified',
          label: 'Joint qualification confirmed',
          met: true,
        },
      ],
      pendingMove: [
        {
          name: 'Customer_Confirmed',
          label: 'Customer confirmed the evaluation',
          met: false,
        },
        {
          name: 'Customer_Step',
          label: 'A customer step in the close plan',
          met: true,
        },
      ],
    },
    {
      dealId: 'd3',
      held: [
        {
          name: 'Customer_Confirmed',
          label: 'Customer | confirmed',
          met: false,
        },
      ],
    },
  ],
  registrations: [
    registration('DR-1', 'Approved', '2026-03-13T15:00:00Z'),
    registration('DR-2', 'Submitted', '2026-03-30T15:00:00Z'),
    registration('DR-3', 'Approved', '2026-03-09T15:00:00Z'),
    registration('DR-4', 'Rejected', '2026-03-12T15:00:00Z'),
    registration('DR-5', 'Submitted', '2026-03-24T03:00:00Z', 'B'),
  ],
};

describe('buildAgenda', () => {
  const agenda = buildAgenda(INPUT);

  it('sorts requests by the side they wait on', () => {
    expect(agenda.waitingOnPartner.map((item) => item.dealId)).toEqual(['d1']);
    expect(agenda.waitingOnPartner[0]!.ageDays).toBe(3);
    expect(agenda.waitingOnPartner[0]!.detail).toBe(
      'Advance from "Validating with Customer" to "In Negotiation & Approvals", requested by the Vendor side; expires 2026-03-14',
    );
    expect(agenda.waitingOnVendor.map((item) => item.dealId)).toEqual(['d3']);
  });

  it('marks an expired Close Lost for override', () => {
    expect(agenda.waitingOnVendor[0]!.detail).toBe(
      'Close Lost from "In Negotiation & Approvals", requested by the Partner side; expired 2026-02-27; a channel manager may apply it as an override',
    );
    expect(agenda.waitingOnVendor[0]!.ageDays).toBe(18);
  });

  it('lists stalled deals, most overdue first', () => {
    expect(agenda.stalled.map((item) => [item.dealId, item.ageDays])).toEqual([
      ['d2', 37],
      ['d4', 28],
    ]);
    expect(agenda.stalled[0]!.detail).toBe(
      '37 days in stage "Identified & Registered"; stalls after 14 days',
    );
  });

  it('lists regressed deals with failing criteria', () => {
    expect(agenda.regressed.map((item) => item.dealId)).toEqual(['d3']);
    expect(agenda.regressed[0]!.unmet!.map((c) => c.name)).toEqual([
      'Customer_Confirmed',
    ]);
    expect(agenda.regressed[0]!.detail).toBe(
      '1 exit criterion that let it into its stage no longer holds',
    );
  });

  it('lists blocked deals with the unmet list', () => {
    expect(agenda.blocked.map((item) => item.dealId)).toEqual(['d1']);
    expect(agenda.blocked[0]!.unmet!.map((c) => c.name)).toEqual([
      'Customer_Confirmed',
    ]);
    expect(agenda.blocked[0]!.request!.id).toBe('r1');
    expect(agenda.blocked[0]!.detail).toBe(
      'Advance to "In Negotiation & Approvals" waits on 1 unmet criterion',
    );
  });

  it('lists registrations about to expire', () => {
    expect(
      agenda.expiringRegistrations.map((entry) => [
        entry.registration.id,
        entry.daysLeft,
      ]),
    ).toEqual([
      ['DR-1', 3],
      ['DR-5', 13],
    ]);
  });

  it('limits everything to one partner', () => {
    const limited = buildAgenda({ ...INPUT, partnerAccountId: 'B' });
    expect(limited.partnerAccount).toEqual({
      id: 'B',
      name: 'Bluewater Consulting',
    });
    expect(limited.waitingOnPartner).toEqual([]);
    expect(limited.waitingOnVendor.map((item) => item.dealId)).toEqual(['d3']);
    expect(limited.stalled.map((item) => item.dealId)).toEqual(['d4']);
    expect(limited.blocked).toEqual([]);
    expect(
      limited.expiringRegistrations.map((entry) => entry.registration.id),
    ).toEqual(['DR-5']);
  });
});

describe('agenda with a requester who left the side', () => {
  const agenda = buildAgenda({
    ...INPUT,
    requestersLeftSide: new Set(['r1', 'r2']),
  });

  it('keeps the request with the other side', () => {
    expect(agenda.waitingOnPartner.map((item) => item.dealId)).toEqual(['d1']);
    expect(agenda.waitingOnVendor.map((item) => item.dealId)).toEqual(['d3']);
  });

  it('flags the items', () => {
    expect(agenda.waitingOnPartner[0]!.requesterLeftSide).toBe(true);
    expect(agenda.waitingOnVendor[0]!.requesterLeftSide).toBe(true);
  });

  it('says only a withdrawal ends it', () => {
    expect(agenda.waitingOnPartner[0]!.detail).toBe(
      'Advance from "Validating with Customer" to "In Negotiation & Approvals", requested by a user no longer on the Vendor side, so only a withdrawal by either side can end it; expires 2026-03-14',
    );
  });

  it('offers no override for expired Close Lost', () => {
    expect(agenda.waitingOnVendor[0]!.detail).toBe(
      'Close Lost from "In Negotiation & Approvals", requested by a user no longer on the Partner side, so only a withdrawal by either side can end it; expired 2026-02-27',
    );
  });

  it('does not list the deal as blocked', () => {
    expect(agenda.blocked).toEqual([]);
  });

  it('leaves other requests unflagged', () => {
    const plain = buildAgenda(INPUT);
    expect(plain.waitingOnPartner[0]!.requesterLeftSide).toBeUndefined();
  });
});

describe('buildAgenda input', () => {
  it('rejects a negative expiry window', () => {
    expect(() => buildAgenda({ ...INPUT, expiringWithinDays: -1 })).toThrow(
      /expiringWithinDays -1 is not a whole number/,
    );
  });
});

describe('renderAgendaMarkdown', () => {
  const markdown = renderAgendaMarkdown(buildAgenda(INPUT));
  const lines = markdown.split('\n');

  it('has a heading per section', () => {
    expect(lines[0]).toBe('# Co-sell sync agenda');
    expect(lines.filter((line) => line.startsWith('## '))).toEqual([
      '## Waiting on the vendor (1)',
      '## Waiting on the partner (1)',
      '## Blocked on unmet criteria (1)',
      '## Regressed (1)',
      '## Could not be evaluated (0)',
      '## Stalled (2)',
      '## Registrations expiring within 14 days (2)',
    ]);
  });

  it('escapes pipes and line breaks in cells', () => {
    expect(markdown).toContain(
      '| Contoso \\| Platform | Apex Integration Partners |',
    );
    expect(markdown).toContain('| Northwind Analytics |');
    expect(markdown).toContain('Customer \\| confirmed');
    expect(markdown).toContain('| Fabrikam \\| Retail |');
  });

  it('keeps every table row to its columns', () => {
    const tables = markdown
      .split('\n\n')
      .filter((block) => block.startsWith('|'))
      .map((block) => block.split('\n').filter((row) => row !== ''));
    expect(tables).toHaveLength(6);
    for (const rows of tables) {
      const widths = rows.map(
        (row) => row.replace(/\\\|/g, '').split('|').length - 2,
      );
      expect(new Set(widths).size).toBe(1);
      expect(rows[1]).toMatch(/^\|( --- \|)+$/);
    }
  });

  it('writes None for an empty section', () => {
    const empty = renderAgendaMarkdown(
      buildAgenda({ ...INPUT, deals: [], registrations: [], criteria: [] }),
    );
    expect(empty.match(/^None\.$/gm)).toHaveLength(7);
  });
});

describe('agenda with a removed stage', () => {
  const input = {
    ...INPUT,
    stages: DEFAULT_STAGES.filter((stage) => stage.value !== 'Validating'),
  };

  it('names the stored stage', () => {
    const agenda = buildAgenda(input);

    const item = agenda.waitingOnPartner.find((entry) => entry.dealId === 'd1');
    expect(item?.stage).toBeNull();
    expect(item?.stageNotInModel).toBe('Validating');
    expect(agenda.waitingOnVendor[0]!.stageNotInModel).toBeNull();
  });

  it('marks the stored stage in markdown', () => {
    const markdown = renderAgendaMarkdown(buildAgenda(input));

    expect(markdown).toContain(
      '| Contoso \\| Platform | Apex Integration Partners | Validating (not in model) |',
    );
    expect(markdown).toContain(
      '| Tailspin | Bluewater Consulting | In Negotiation & Approvals |',
    );
  });
});

describe('escapeCell', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['a\\|b', 'a\\\\\\|b'],
    ['line\r\nbreak', 'line break'],
    ['  padded  ', 'padded'],
    ['<script>alert(1)</script>', '\\<script\\>alert(1)\\</script\\>'],
    ['AT&T &amp; &#60;', 'AT&T \\&amp; \\&#60;'],
    ['[x](javascript:alert(1))', '\\[x\\](javascript:alert(1))'],
  ])('escapes %p', (text, expected) => {
    expect(escapeCell(text)).toBe(expected);
  });
});
