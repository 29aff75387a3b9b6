/**
 * The joint sync agenda as rows: one per agenda item, with the section it
 * belongs to, in the order the meeting document shows the sections. Its
 * markdown format is that meeting document, one table per section.
 */
import type {
  Agenda,
  AgendaCriterion,
  AgendaItem,
  AgendaRequest,
} from '../../domain/lifecycle/agenda.js';
import {
  renderAgendaMarkdown,
  stageCell,
} from '../../domain/lifecycle/agenda-markdown.js';
import type {
  LifecycleRegistration,
  PartnerRef,
} from '../../domain/lifecycle/types.js';
import type { Column } from '../columns.js';
import type { ReportDefinition } from '../report-definition.js';

export type AgendaReportAgenda = Agenda<
  AgendaRequest,
  AgendaCriterion,
  LifecycleRegistration
>;

export interface AgendaInput {
  agenda: AgendaReportAgenda;
}

/** Section keys, in the order of the meeting document. */
export const AGENDA_SECTIONS = [
  'waitingOnVendor',
  'waitingOnPartner',
  'blocked',
  'regressed',
  'notEvaluated',
  'stalled',
  'expiringRegistrations',
] as const;
export type AgendaSection = (typeof AGENDA_SECTIONS)[number];

type DealSection = Exclude<AgendaSection, 'expiringRegistrations'>;

export interface AgendaRow {
  section: AgendaSection;
  item?: AgendaItem<AgendaRequest, AgendaCriterion>;
  registration?: LifecycleRegistration;
  partnerAccount: PartnerRef | null;
  daysLeft?: number;
}

function* agendaRows(input: AgendaInput): Generator<AgendaRow> {
  const { agenda } = input;
  for (const section of AGENDA_SECTIONS) {
    if (section === 'expiringRegistrations') continue;
    for (const item of agenda[section as DealSection]) {
      yield { section, item, partnerAccount: item.partnerAccount };
    }
  }
  for (const entry of agenda.expiringRegistrations) {
    yield {
      section: 'expiringRegistrations',
      registration: entry.registration,
      partnerAccount: entry.partnerAccount,
      daysLeft: entry.daysLeft,
    };
  }
}

export const AGENDA_COLUMNS: readonly Column<AgendaRow>[] = [
  {
    key: 'section',
    header: 'Section',
    type: 'text',
    description: `Agenda section: ${AGENDA_SECTIONS.join(', ')}.`,
  },
  {
    key: 'dealId',
    header: 'Deal Id',
    type: 'text',
    description:
      'Opportunity Id; for a registration, the deal it converted to, if any.',
    format: (row) => row.item?.dealId ?? row.registration?.opportunityId,
  },
  {
    key: 'dealName',
    header: 'Deal',
    type: 'text',
    description: 'Opportunity name.',
    format: (row) => row.item?.dealName,
  },
  {
    key: 'partnerAccountId',
    header: 'Partner Id',
    type: 'text',
    description: 'Partner account Id.',
    format: (row) => row.partnerAccount?.id,
  },
  {
    key: 'partnerName',
    header: 'Partner',
    type: 'text',
    description: 'Partner account name.',
    format: (row) => row.partnerAccount?.name,
  },
  {
    key: 'stage',
    header: 'Stage',
    type: 'text',
    description:
      "The deal's stage label, or the stored stage marked (not in model) when the deal's model lacks it.",
    format: (row) => (row.item ? stageCell(row.item) : undefined),
  },
  {
    key: 'detail',
    header: 'Detail',
    type: 'text',
    description:
      'Why the deal is on the agenda, such as the request waiting, the days in stage, or the invalid stored value that stopped its evaluation.',
    format: (row) => row.item?.detail,
  },
  {
    key: 'ageDays',
    header: 'Age (days)',
    type: 'integer',
    description:
      'Calendar days the request has waited, or the deal has been in its stage when stalled.',
    format: (row) => row.item?.ageDays,
  },
  {
    key: 'requestId',
    header: 'Request Id',
    type: 'text',
    description: 'Id of the pending `Stage_Request__c`, if any.',
    format: (row) => row.item?.request?.id,
  },
  {
    key: 'unmetCriteria',
    header: 'Unmet Criteria',
    type: 'text',
    description:
      'Labels of the criteria not met (blocked) or no longer met (regressed), separated by "; ".',
    format: (row) =>
      row.item?.unmet
        ?.map((criterion) => criterion.label ?? criterion.name)
        .join('; '),
  },
  {
    key: 'invalidRecordId',
    header: 'Invalid Record Id',
    type: 'text',
    description:
      'Id of the record whose stored value stopped the evaluation (notEvaluated).',
    format: (row) => row.item?.problem?.recordId,
  },
  {
    key: 'invalidField',
    header: 'Invalid Field',
    type: 'text',
    description:
      'Field, or the path a criterion reads, with the invalid stored value (notEvaluated).',
    format: (row) => row.item?.problem?.field,
  },
  {
    key: 'registrationId',
    header: 'Registration Id',
    type: 'text',
    description: 'Id of the expiring `Deal_Registration__c`.',
    format: (row) => row.registration?.id,
  },
  {
    key: 'registrationName',
    header: 'Registration',
    type: 'text',
    description: 'Its auto number, such as DR-00042.',
    format: (row) => row.registration?.name,
  },
  {
    key: 'customerCompany',
    header: 'Customer',
    type: 'text',
    description: 'Customer company of the registration.',
    format: (row) => row.registration?.customerCompany,
  },
  {
    key: 'registrationStatus',
    header: 'Registration Status',
    type: 'text',
    description: 'Submitted or Approved.',
    format: (row) => row.registration?.status,
  },
  {
    key: 'expiresAt',
    header: 'Expires At',
    type: 'datetime',
    description: 'When the registration expires.',
    format: (row) => row.registration?.expiresAt,
  },
  {
    key: 'daysLeft',
    header: 'Days Left',
    type: 'integer',
    description: 'Calendar days until it expires, in the org time zone.',
    format: (row) => row.daysLeft,
  },
];

export const agendaReport: ReportDefinition<AgendaInput, AgendaRow> = {
  name: 'agenda',
  title: 'Co-sell sync agenda',
  description: 'One row per agenda item, grouped by section.',
  columns: AGENDA_COLUMNS,
  rows: agendaRows,
  markdown: (input) => renderAgendaMarkdown(input.agenda),
};
