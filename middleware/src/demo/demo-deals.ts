import type { RecordData } from '../domain/records.js';
import type { DemoPeople } from './demo-people.js';
import { demoId } from './demo-people.js';
import { SeededRandom } from './prng.js';

/** The default model's open stages, in order, then the two closed ones. */
const OPEN_STAGES = [
  'Registered',
  'Jointly_Qualified',
  'Validating',
  'Negotiating',
] as const;
const PRODUCT_LINES = [
  'Platform',
  'Analytics',
  'Security',
  'Services',
] as const;
const DAY = 86_400_000;

export interface DemoDeals {
  opportunities: RecordData[];
  teamMembers: RecordData[];
  registrations: RecordData[];
  qualifications: RecordData[];
  planSteps: RecordData[];
  approvals: RecordData[];
  dealPartners: RecordData[];
  /** Per deal, the stages it passed through with when it entered each. */
  histories: Array<{ dealId: string; stages: string[]; enteredAt: string[] }>;
}

interface Counters {
  [prefix: string]: number;
}

/**
 * About fifty open deals spread over the default model's stages, plus a few closed
 * ones. Each deal carries the evidence of every stage it has left; evidence for the
 * stage it is in is present or missing at random, so the demo shows both.
 */
export function buildDemoDeals(
  people: DemoPeople,
  now: Date,
  keyPrefixOf: (objectName: string) => string,
  seed = 20261204,
): DemoDeals {
  const random = new SeededRandom(seed);
  const counters: Counters = {};
  const nextId = (objectName: string) => {
    const prefix = keyPrefixOf(objectName);
    counters[prefix] = (counters[prefix] ?? 0) + 1;
    return demoId(prefix, counters[prefix]);
  };
  const out: DemoDeals = {
    opportunities: [],
    teamMembers: [],
    registrations: [],
    qualifications: [],
    planSteps: [],
    approvals: [],
    dealPartners: [],
    histories: [],
  };
  const plan: Array<{ stageIndex: number; won?: boolean; lost?: boolean }> = [];
  const perStage = [14, 13, 12, 11];
  perStage.forEach((count, stageIndex) => {
    for (let i = 0; i < count; i += 1) plan.push({ stageIndex });
  });
  for (let i = 0; i < 4; i += 1) plan.push({ stageIndex: 4, won: true });
  for (let i = 0; i < 3; i += 1)
    plan.push({ stageIndex: random.int(0, 3), lost: true });

  plan.forEach((entry, index) => {
    const partner = people.partners[index % people.partners.length]!;
    const customer = people.customers[index % people.customers.length]!;
    const vendor = people.vendorSellers[index % people.vendorSellers.length]!;
    const partnerSeller = partner.sellers[index % partner.sellers.length]!;
    const product = PRODUCT_LINES[index % PRODUCT_LINES.length]!;
    const dealId = nextId('Opportunity');
    const amount = (random.int(20, 400) * 1000).toFixed(2);
    const currency = index % 5 === 0 ? 'EUR' : 'USD';
    const leaving = entry.won ? 4 : entry.stageIndex;
    const stages: string[] = OPEN_STAGES.slice(0, Math.min(leaving, 3) + 1);
    if (entry.won) stages.push('Closed_Attributed');
    if (entry.lost) stages.push('Closed_Lost');
    const enteredAt = stageEntryTimes(now, stages.length, random);
    const current = stages[stages.length - 1]!;
    const closeDate = new Date(now.getTime() + random.int(-20, 150) * DAY)
      .toISOString()
      .slice(0, 10);
    // The customer confirms halfway through Validating, so the confirmation
    // is before the move out of it and never in the future.
    const validatingStart = Date.parse(enteredAt[2] ?? now.toISOString());
    const validatingEnd = Date.parse(enteredAt[3] ?? now.toISOString());
    const customerConfirmedAt = new Date(
      validatingStart + Math.floor((validatingEnd - validatingStart) / 2),
    ).toISOString();
    // Evidence for a stage is complete once the deal has left it; for the stage it
    // is in, each piece is present with some chance.
    const has = (stageIndex: number) =>
      leaving > stageIndex || (leaving === stageIndex && random.chance(0.55));

    out.opportunities.push({
      Id: dealId,
      Name: `${customer.Name} - ${product}`,
      AccountId: customer.Id,
      OwnerId: vendor.Id,
      StageName: entry.won
        ? 'Closed Won'
        : entry.lost
          ? 'Closed Lost'
          : 'Prospecting',
      IsWon: entry.won === true,
      IsClosed: entry.won === true || entry.lost === true,
      Amount: amount,
      CurrencyIsoCode: currency,
      CloseDate: closeDate,
      Cosell_Stage__c: current,
      Cosell_Model__c: 'Default',
      Cosell_Stage_Entered_At__c: enteredAt[enteredAt.length - 1]!,
      Cosell_Stage_Version__c: stages.length,
      Partner_Account__c: partner.account.Id,
      Vendor_Owner__c: has(0) || index % 4 !== 0 ? vendor.Id : null,
      Partner_Owner__c: has(0) ? partnerSeller.Id : null,
      Customer_Evaluation_Confirmed_At__c: has(2) ? customerConfirmedAt : null,
      Closed_Lost_Reason__c: entry.lost
        ? random.pick(['Price', 'Competitor', 'No Decision', 'Timing'])
        : null,
    });
    if (index % 3 === 0) {
      out.teamMembers.push({
        Id: nextId('OpportunityTeamMember'),
        OpportunityId: dealId,
        UserId:
          people.vendorSellers[(index + 1) % people.vendorSellers.length]!.Id,
        TeamMemberRole: 'Pre-Sales Consultant',
      });
    }
    const submittedAt = new Date(Date.parse(enteredAt[0]!) - 3 * DAY);
    out.registrations.push({
      Id: nextId('Deal_Registration__c'),
      Name: `DR-${String(out.registrations.length + 1).padStart(5, '0')}`,
      Customer_Company__c: customer.Name,
      Customer_Website__c: customer.Website,
      Customer_Country__c: customer.BillingCountry,
      Product_Line__c: product,
      Amount__c: amount,
      CurrencyIsoCode: currency,
      Expected_Close_Date__c: closeDate,
      Status__c: has(0) ? 'Converted' : 'Approved',
      Conflict_Status__c:
        has(0) || random.chance(0.5) ? 'Clear' : 'Not Checked',
      Conflict_Matches__c: '[]',
      Expires_At__c: new Date(submittedAt.getTime() + 90 * DAY).toISOString(),
      Opportunity__c: dealId,
      Partner_Account__c: partner.account.Id,
      Submitted_By__c: partnerSeller.Id,
      OwnerId: partnerSeller.Id,
      Decided_By__c: people.channelManager.Id,
      Decided_At__c: new Date(submittedAt.getTime() + DAY).toISOString(),
      CreatedDate: submittedAt.toISOString(),
    });
    if (leaving >= 1) {
      const complete = has(1);
      out.qualifications.push({
        Id: nextId('Joint_Qualification__c'),
        Opportunity__c: dealId,
        Need__c: 'Consolidate three regional data platforms before the audit.',
        Budget__c: complete ? 'Approved in the FY plan' : null,
        Reason_To_Act__c: 'Current contract ends next quarter.',
        Joint_Value__c:
          'Partner migration services plus our platform licences.',
        Vendor_Confirmed_By__c: complete ? vendor.Id : null,
        Vendor_Confirmed_At__c: complete ? enteredAt[1]! : null,
        Partner_Confirmed_By__c: complete ? partnerSeller.Id : null,
        Partner_Confirmed_At__c: complete ? enteredAt[1]! : null,
      });
    }
    if (leaving >= 2) {
      const sides = has(2)
        ? ['Customer', 'Partner', 'Vendor']
        : ['Partner', 'Vendor'];
      sides.forEach((side, step) =>
        out.planSteps.push({
          Id: nextId('Close_Plan_Step__c'),
          Opportunity__c: dealId,
          Step__c: `${side} sign-off of the evaluation plan`,
          Owner_Side__c: side,
          Due_Date__c: new Date(now.getTime() + (step + 1) * 7 * DAY)
            .toISOString()
            .slice(0, 10),
          Status__c: leaving > 2 ? 'Done' : 'In Progress',
        }),
      );
    }
    if (leaving >= 3) {
      const complete = has(3);
      for (const type of ['Pricing', 'Legal']) {
        out.approvals.push({
          Id: nextId('Deal_Approval__c'),
          Opportunity__c: dealId,
          Type__c: type,
          Owner__c: vendor.Id,
          Handoff_Counterpart__c:
            complete || type === 'Pricing' ? partnerSeller.Id : null,
          Status__c: leaving > 3 ? 'Approved' : 'In Progress',
        });
      }
    }
    if (leaving >= 3) {
      const influencer = people.partners[(index + 1) % people.partners.length]!;
      const sourcingSplit = entry.won || random.chance(0.7) ? '70.00' : '60.00';
      out.dealPartners.push(
        {
          Id: nextId('Deal_Partner__c'),
          Opportunity__c: dealId,
          Partner_Account__c: partner.account.Id,
          Role__c: 'Sourcing',
          Split_Percent__c: sourcingSplit,
        },
        {
          Id: nextId('Deal_Partner__c'),
          Opportunity__c: dealId,
          Partner_Account__c: influencer.account.Id,
          Role__c: 'Influencing',
          Split_Percent__c: '30.00',
        },
      );
    }
    out.histories.push({ dealId, stages, enteredAt });
  });
  return out;
}

/**
 * Returns when the deal entered each of `count` stages, oldest first. It
 * entered the last one 1 to 40 days before `now` and spent 8 to 20 days in
 * each earlier one, so the moves are in order and none is in the future.
 */
function stageEntryTimes(
  now: Date,
  count: number,
  random: SeededRandom,
): string[] {
  const times = [now.getTime() - random.int(1, 40) * DAY];
  while (times.length < count) {
    times.unshift(times[0]! - random.int(8, 20) * DAY);
  }
  return times.map((time) => new Date(time).toISOString());
}
