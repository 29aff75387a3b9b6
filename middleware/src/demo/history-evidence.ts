/**
 * Evidence for the generated deals still open today: the records that the
 * default model's exit criteria read. It is complete for every stage a deal
 * has left and present or missing at random for the stage it is in, so the
 * demo agenda shows blocked deals beside healthy ones. One deal in ten misses
 * a piece of the stage it left, so the agenda shows regressed deals too.
 */
import { createRandom } from '../domain/lifecycle/index.js';
import type { RecordData } from '../domain/records.js';
import type { LoadedModel } from '../domain/stage-model.js';
import { demoId } from './demo-people.js';

export interface OpenHistoryDeal {
  id: string;
  stage: string;
  stageEnteredAt: string;
  /** When the deal entered each stage it has passed through, by stage value. */
  enteredAt: ReadonlyMap<string, string>;
  vendorOwnerId: string;
  partnerOwnerId: string;
}

export interface HistoryEvidence {
  writes: Array<[string, RecordData[]]>;
  /** `Customer_Evaluation_Confirmed_At__c` of the deals that have it. */
  customerConfirmedAt: Map<string, string>;
}

/** Chance that the evidence of the stage a deal is in is already complete. */
const CURRENT_STAGE_COMPLETE = 0.5;
/** Share of deals missing evidence of the stage they left. */
const REGRESSED_SHARE = 0.1;

export function buildHistoryEvidence(options: {
  deals: readonly OpenHistoryDeal[];
  model: LoadedModel;
  now: Date;
  keyPrefixOf: (objectName: string) => string;
  idOffset: number;
}): HistoryEvidence {
  const random = createRandom(20_260_202);
  const counters = new Map<string, number>();
  const nextId = (objectName: string) => {
    const count = (counters.get(objectName) ?? 0) + 1;
    counters.set(objectName, count);
    return demoId(options.keyPrefixOf(objectName), options.idOffset + count);
  };
  const order = new Map(
    options.model.openStages.map((stage, index) => [stage.value, index]),
  );
  const position = (value: string) => order.get(value) ?? -1;
  const qualifications: RecordData[] = [];
  const planSteps: RecordData[] = [];
  const approvals: RecordData[] = [];
  const customerConfirmedAt = new Map<string, string>();
  const dueDate = new Date(options.now.getTime() + 14 * 86_400_000)
    .toISOString()
    .slice(0, 10);

  for (const deal of options.deals) {
    const at = position(deal.stage);
    // A few deals lose evidence of the stage they left, so they regress.
    const regressed = random.next() < REGRESSED_SHARE;
    const has = (stage: string) => {
      const index = position(stage);
      if (regressed && index === at - 1) return false;
      return (
        at > index || (at === index && random.next() < CURRENT_STAGE_COMPLETE)
      );
    };
    const reached = (stage: string) =>
      position(stage) >= 0 && at >= position(stage);
    // Each side confirms as the deal enters the stage, so no confirmation
    // is dated after the move out of that stage.
    const enteredAt = (stage: string) =>
      deal.enteredAt.get(stage) ?? deal.stageEnteredAt;
    if (reached('Jointly_Qualified')) {
      const complete = has('Jointly_Qualified');
      const confirmedAt = complete ? enteredAt('Jointly_Qualified') : null;
      qualifications.push({
        Id: nextId('Joint_Qualification__c'),
        Opportunity__c: deal.id,
        Need__c: 'Replace the regional systems with one platform.',
        Budget__c: complete ? 'Approved in this fiscal year' : null,
        Reason_To_Act__c: 'The current contract ends within two quarters.',
        Joint_Value__c: 'Partner services with our platform licences.',
        Vendor_Confirmed_By__c: complete ? deal.vendorOwnerId : null,
        Vendor_Confirmed_At__c: confirmedAt,
        Partner_Confirmed_By__c: complete ? deal.partnerOwnerId : null,
        Partner_Confirmed_At__c: confirmedAt,
      });
    }
    if (reached('Validating')) {
      const complete = has('Validating');
      if (complete) {
        customerConfirmedAt.set(deal.id, enteredAt('Validating'));
      }
      planSteps.push({
        Id: nextId('Close_Plan_Step__c'),
        Opportunity__c: deal.id,
        Step__c: 'Evaluation sign-off',
        Owner_Side__c: complete ? 'Customer' : 'Partner',
        Due_Date__c: dueDate,
        Status__c: complete ? 'Done' : 'In Progress',
      });
    }
    if (reached('Negotiating')) {
      const complete = has('Negotiating');
      for (const type of ['Pricing', 'Legal']) {
        approvals.push({
          Id: nextId('Deal_Approval__c'),
          Opportunity__c: deal.id,
          Type__c: type,
          Owner__c: deal.vendorOwnerId,
          Handoff_Counterpart__c:
            complete || type === 'Pricing' ? deal.partnerOwnerId : null,
          Status__c: complete ? 'Approved' : 'In Progress',
        });
      }
    }
  }
  return {
    writes: [
      ['Joint_Qualification__c', qualifications],
      ['Close_Plan_Step__c', planSteps],
      ['Deal_Approval__c', approvals],
    ],
    customerConfirmedAt,
  };
}
