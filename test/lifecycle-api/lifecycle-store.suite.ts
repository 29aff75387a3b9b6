import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import type { RecordData } from '../../middleware/src/domain/records.js';
import {
  ConcurrentChangeError,
  RecordNotFoundError,
} from '../../middleware/src/org/errors.js';
import type {
  ApprovalWrite,
  DealTransition,
  LifecycleStore,
  NewRegistration,
} from '../../middleware/src/org/lifecycle-store.js';

/** One object's records, written with the Ids they carry. */
export interface SeedBatch {
  objectName: string;
  records: RecordData[];
}

export interface StoreUnderTest {
  store: LifecycleStore;
  seed(batches: SeedBatch[]): Promise<void>;
  /** The key prefix of an object in the store's schema. */
  keyPrefix(objectName: string): string;
  cleanup(): Promise<void>;
}

const NOW = '2026-03-10T05:10:00.000Z';
const LATER = '2026-06-08T05:10:00.000Z';

const PARTNER = demoId('001', 900);
const OTHER_PARTNER = demoId('001', 901);
const CUSTOMER = demoId('001', 902);
const VENDOR_USER = demoId('005', 900);
const PARTNER_USER = demoId('005', 901);
const MANAGER = demoId('005', 902);

function user(
  id: string,
  name: string,
  type: string,
  accountId: string | null,
) {
  const login = name.toLowerCase().replace(/\W+/g, '.');
  return {
    Id: id,
    Name: name,
    Username: `${login}@store-suite.example`,
    Email: `${login}@store-suite.example`,
    IsActive: true,
    UserType: type,
    AccountId: accountId,
  };
}

/** Builds an approval that links `dealId` at `expectedVersion` and gives it the first stage. */
function firstStageLink(
  registrationId: string,
  dealId: string,
  expectedVersion: number,
): ApprovalWrite {
  return {
    registrationId,
    decidedById: MANAGER,
    decidedAt: NOW,
    conflictStatus: 'Clear',
    conflictMatches: '[]',
    deal: {
      kind: 'link',
      dealId,
      expectedVersion,
      partnerAccountId: PARTNER,
      vendorOwnerId: VENDOR_USER,
      partnerOwnerId: PARTNER_USER,
      firstStage: { model: 'Default', stage: 'Registered', enteredAt: NOW },
    },
    transition: null,
  };
}

function people(): SeedBatch[] {
  return [
    {
      objectName: 'Account',
      records: [
        { Id: PARTNER, Name: 'Suite Partner Ltd', IsPartner: true },
        { Id: OTHER_PARTNER, Name: 'Other Suite Partner', IsPartner: true },
        {
          Id: CUSTOMER,
          Name: 'Pemberton Mills Inc.',
          Website: 'https://pemberton-mills.test',
          IsPartner: false,
        },
      ],
    },
    {
      objectName: 'User',
      records: [
        user(VENDOR_USER, 'Vera Vendor', 'Standard', null),
        user(PARTNER_USER, 'Pat Partner', 'PowerPartner', PARTNER),
        user(MANAGER, 'Max Manager', 'Standard', null),
      ],
    },
  ];
}

function registration(
  overrides: Partial<NewRegistration> = {},
): NewRegistration {
  return {
    partnerAccountId: PARTNER,
    submittedById: PARTNER_USER,
    submittedAt: NOW,
    customerCompany: 'Pemberton Mills',
    customerWebsite: 'https://pemberton-mills.test',
    customerCountry: 'United States',
    productLine: 'Analytics',
    amount: '125000.50',
    currencyIsoCode: 'USD',
    expectedCloseDate: '2026-09-30',
    expiresAt: '2026-06-08T05:10:00.000Z',
    conflictStatus: 'Clear',
    conflictMatches: '[]',
    ...overrides,
  };
}

/** The lifecycle store contract, run against each store implementation. */
export function describeLifecycleStore(
  name: string,
  open: () => Promise<StoreUnderTest>,
): void {
  describe(`${name} lifecycle store`, () => {
    let subject: StoreUnderTest;
    let store: LifecycleStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      await subject.seed(people());
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    async function openDeal(overrides: RecordData = {}): Promise<string> {
      const id = demoId(
        subject.keyPrefix('Opportunity'),
        900 + Math.floor(Math.random() * 1e6),
      );
      await subject.seed([
        {
          objectName: 'Opportunity',
          records: [
            {
              Id: id,
              Name: 'Pemberton Mills - Analytics',
              AccountId: CUSTOMER,
              StageName: 'Prospecting',
              CloseDate: '2026-09-30',
              Amount: 50000,
              CurrencyIsoCode: 'EUR',
              Cosell_Model__c: 'Default',
              Cosell_Stage__c: 'Validating',
              Cosell_Stage_Version__c: 3,
              Cosell_Stage_Entered_At__c: NOW,
              Partner_Account__c: PARTNER,
              ...overrides,
            },
          ],
        },
      ]);
      return id;
    }

    it('creates and reads a Submitted registration', async () => {
      const created = await store.createRegistration(registration());
      expect(created.status).toBe('Submitted');
      expect(created.partnerAccountId).toBe(PARTNER);
      expect(created.partnerAccountName).toBe('Suite Partner Ltd');
      expect(created.submittedById).toBe(PARTNER_USER);
      expect(created.ownerId).toBe(PARTNER_USER);
      expect(created.amount).toBe('125000.50');
      expect(created.expectedCloseDate).toBe('2026-09-30');
      expect(created.expiresAt).toBe('2026-06-08T05:10:00.000Z');
      expect(created.name).toMatch(/\d+$/);
      const read = await store.getRegistration(created.id);
      expect(read).toEqual(created);
    });

    it('stores the new Id as the idempotency response body', async () => {
      const created = await store.createRegistration(registration(), {
        key: 'suite-key-1',
        fingerprint: 'f'.repeat(64),
        responseStatus: 201,
        expiresAt: '2099-01-01T00:00:00.000Z',
      });
      const stored = await store.findIdempotency('suite-key-1');
      expect(stored?.responseBody).toBe(created.id);
      expect(stored?.fingerprint).toBe('f'.repeat(64));
      expect(await store.findIdempotency('suite-key-2')).toBeNull();
    });

    it('lists open, partner and expired registrations', async () => {
      const mine = await store.createRegistration(registration());
      const theirs = await store.createRegistration(
        registration({
          partnerAccountId: OTHER_PARTNER,
          expiresAt: '2026-07-01T00:00:00.000Z',
        }),
      );
      await store.closeRegistration({
        id: theirs.id,
        status: 'Rejected',
        decidedById: MANAGER,
        decidedAt: NOW,
        reason: 'Duplicate',
      });
      const open = (await store.listOpenRegistrations()).map((r) => r.id);
      expect(open).toContain(mine.id);
      expect(open).not.toContain(theirs.id);
      const partner = (await store.listRegistrations(OTHER_PARTNER)).map(
        (r) => r.id,
      );
      expect(partner).toEqual([theirs.id]);
      const all = (await store.listRegistrations()).map((r) => r.id);
      expect(all).toEqual(expect.arrayContaining([mine.id, theirs.id]));
      const expired = await store.listExpiredRegistrations(LATER, 10);
      expect(expired.map((r) => r.id)).toEqual([mine.id]);
      expect(await store.listExpiredRegistrations(NOW, 10)).toEqual([]);
    });

    it('closes a registration once', async () => {
      const created = await store.createRegistration(registration());
      const rejected = await store.closeRegistration({
        id: created.id,
        status: 'Rejected',
        decidedById: MANAGER,
        decidedAt: NOW,
        reason: 'Covered by direct sales',
      });
      expect(rejected.status).toBe('Rejected');
      expect(rejected.decidedById).toBe(MANAGER);
      expect(rejected.decisionReason).toBe('Covered by direct sales');
      await expect(
        store.closeRegistration({
          id: created.id,
          status: 'Expired',
          decidedById: null,
          decidedAt: NOW,
          reason: null,
        }),
      ).rejects.toBeInstanceOf(ConcurrentChangeError);
    });

    it('fails to close a registration that does not exist', async () => {
      const missing = demoId(
        subject.keyPrefix('Deal_Registration__c'),
        999_999,
      );
      await expect(
        store.closeRegistration({
          id: missing,
          status: 'Rejected',
          decidedById: MANAGER,
          decidedAt: NOW,
          reason: 'x',
        }),
      ).rejects.toBeInstanceOf(RecordNotFoundError);
    });

    it('approves into a new deal at the first stage', async () => {
      const created = await store.createRegistration(registration());
      const { registration: approved, dealId } =
        await store.approveRegistration({
          registrationId: created.id,
          decidedById: MANAGER,
          decidedAt: NOW,
          conflictStatus: 'Clear',
          conflictMatches: '[]',
          deal: {
            kind: 'create',
            name: 'Pemberton Mills - Analytics',
            ownerId: VENDOR_USER,
            stageName: 'Prospecting',
            amount: '125000.50',
            currencyIsoCode: 'USD',
            closeDate: '2026-09-30',
            model: 'Default',
            stage: 'Registered',
            enteredAt: NOW,
            partnerAccountId: PARTNER,
            vendorOwnerId: VENDOR_USER,
            partnerOwnerId: PARTNER_USER,
          },
          transition: {
            dealId: '',
            fromStage: null,
            toStage: 'Registered',
            requestId: null,
            requestedById: PARTNER_USER,
            confirmedById: MANAGER,
            at: NOW,
            evidenceSnapshot: '[]',
            attributionSnapshot: null,
            oneSided: false,
            key: `registration:${created.id}`,
            version: 1,
          },
        });
      expect(approved.status).toBe('Converted');
      expect(approved.opportunityId).toBe(dealId);
      expect(approved.decidedById).toBe(MANAGER);
      const deal = await store.getLinkableDeal(dealId);
      expect(deal).toEqual(
        expect.objectContaining({
          isClosed: false,
          stage: 'Registered',
          model: 'Default',
          version: 1,
          partnerAccountId: PARTNER,
          vendorOwnerId: VENDOR_USER,
          partnerOwnerId: PARTNER_USER,
        }),
      );
      const transitions = [];
      for await (const t of store.streamTransitions()) {
        if (t.dealId === dealId) transitions.push(t);
      }
      expect(transitions).toEqual([
        {
          id: expect.any(String),
          dealId,
          fromStage: null,
          toStage: 'Registered',
          at: NOW,
          oneSided: false,
        },
      ]);
      const matches = await store.listDealsToMatch();
      expect(matches.find((m) => m.id === dealId)).toEqual({
        id: dealId,
        name: 'Pemberton Mills - Analytics',
        partnerAccountId: PARTNER,
        model: 'Default',
        stage: 'Registered',
        customerCompany: 'Pemberton Mills',
        customerWebsite: 'https://pemberton-mills.test',
        productLine: 'Analytics',
      });
    });

    it('links an open deal only at the version read', async () => {
      const dealId = await openDeal({
        Cosell_Stage__c: null,
        Cosell_Stage_Version__c: 0,
        Partner_Account__c: null,
      });
      const created = await store.createRegistration(registration());
      const link = (expectedVersion: number) =>
        store.approveRegistration(
          firstStageLink(created.id, dealId, expectedVersion),
        );
      await expect(link(2)).rejects.toBeInstanceOf(ConcurrentChangeError);
      expect((await store.getRegistration(created.id))?.status).toBe(
        'Submitted',
      );
      const { registration: linked } = await link(0);
      expect(linked.opportunityId).toBe(dealId);
      const deal = await store.getLinkableDeal(dealId);
      expect(deal?.stage).toBe('Registered');
      expect(deal?.version).toBe(1);
      expect(deal?.partnerAccountId).toBe(PARTNER);
    });

    it('keeps a deal with a pending request stageless', async () => {
      const dealId = await openDeal({
        Cosell_Stage__c: null,
        Cosell_Stage_Version__c: 0,
        Partner_Account__c: null,
      });
      const requestId = demoId(subject.keyPrefix('Stage_Request__c'), 901);
      await subject.seed([
        {
          objectName: 'Stage_Request__c',
          records: [
            {
              Id: requestId,
              Opportunity__c: dealId,
              From_Stage__c: null,
              To_Stage__c: 'Registered',
              Kind__c: 'Advance',
              Requested_By__c: VENDOR_USER,
              Requesting_Side__c: 'Vendor',
              Status__c: 'Pending',
              Expires_At__c: LATER,
              Deal_Version__c: 0,
              Pending_Deal_Key__c: dealId,
            },
          ],
        },
      ]);
      const before = await store.getLinkableDeal(dealId);
      expect(before?.pendingRequest).toEqual({
        id: requestId,
        fromStage: null,
      });

      const created = await store.createRegistration(registration());
      const link = store.approveRegistration(
        firstStageLink(created.id, dealId, 0),
      );
      await expect(link).rejects.toBeInstanceOf(ConcurrentChangeError);
      expect((await store.getRegistration(created.id))?.status).toBe(
        'Submitted',
      );
      const after = await store.getLinkableDeal(dealId);
      expect(after?.stage).toBeNull();
      expect(after?.version).toBe(0);
      expect(after?.partnerAccountId).toBeNull();
    });

    it('streams transitions grouped by deal', async () => {
      const first = await openDeal({ Name: 'First deal' });
      const second = await openDeal({
        Name: 'Second deal',
        Cosell_Model__c: null,
        Cosell_Stage__c: 'Negotiating',
      });
      const stageless = await openDeal({ Cosell_Stage__c: null });
      const prefix = subject.keyPrefix('Stage_Transition__c');
      let next = 900;
      const transition = (
        dealId: string,
        version: number,
        toStage: string,
      ): RecordData => {
        next += 1;
        return {
          Id: demoId(prefix, next),
          Opportunity__c: dealId,
          From_Stage__c: version === 1 ? null : 'Registered',
          To_Stage__c: toStage,
          Requested_By__c: VENDOR_USER,
          Confirmed_By__c: PARTNER_USER,
          Transitioned_At__c: `2026-03-0${version}T05:10:00.000Z`,
          Evidence_Snapshot__c: '[]',
          Attribution_Snapshot__c: version === 2 ? '{"partners":[]}' : null,
          One_Sided__c: version === 2,
          Key__c: `suite:${dealId}:${version}`,
          Version__c: version,
        };
      };
      // Inserted out of order, so the read has to sort and group them.
      const rows = [
        transition(first, 2, 'Jointly_Qualified'),
        transition(second, 2, 'Negotiating'),
        transition(stageless, 1, 'Registered'),
        transition(first, 1, 'Registered'),
        transition(second, 1, 'Registered'),
      ];
      await subject.seed([
        { objectName: 'Stage_Transition__c', records: rows },
      ]);

      const streamed: DealTransition[] = [];
      for await (const row of store.streamDealTransitions()) streamed.push(row);

      const dealOrder = streamed.map((row) => row.deal.id);
      expect(dealOrder).not.toContain(stageless);
      expect(
        dealOrder.filter((id, index) => id !== dealOrder[index - 1]),
      ).toHaveLength(2);
      const ofDeal = (dealId: string) =>
        streamed.filter((row) => row.deal.id === dealId);
      expect(ofDeal(first).map((row) => row.transition.version)).toEqual([
        1, 2,
      ]);
      expect(ofDeal(second).map((row) => row.transition.version)).toEqual([
        1, 2,
      ]);
      expect(ofDeal(first)[0]?.deal).toEqual({
        id: first,
        name: 'First deal',
        model: 'Default',
        stage: 'Validating',
      });
      expect(ofDeal(second)[1]?.deal).toEqual({
        id: second,
        name: 'Second deal',
        model: 'Default',
        stage: 'Negotiating',
      });
      // Every field but the auto number `Name`, which only the org assigns.
      expect(ofDeal(first)[1]?.transition).toEqual(
        expect.objectContaining({
          id: rows[0]!.Id,
          dealId: first,
          fromStage: 'Registered',
          toStage: 'Jointly_Qualified',
          requestId: null,
          requestedById: VENDOR_USER,
          confirmedById: PARTNER_USER,
          at: '2026-03-02T05:10:00.000Z',
          evidenceSnapshot: '[]',
          attributionSnapshot: '{"partners":[]}',
          oneSided: true,
          key: `suite:${first}:2`,
          version: 2,
        }),
      );
    });

    it('streams deals, partners, pending requests and accounts', async () => {
      const dealId = await openDeal();
      await subject.seed([
        {
          objectName: 'Deal_Partner__c',
          records: [
            {
              Id: demoId(subject.keyPrefix('Deal_Partner__c'), 900),
              Opportunity__c: dealId,
              Partner_Account__c: PARTNER,
              Role__c: 'Sourcing',
              Split_Percent__c: 100,
            },
          ],
        },
        {
          objectName: 'Stage_Request__c',
          records: [
            {
              Id: demoId(subject.keyPrefix('Stage_Request__c'), 900),
              Opportunity__c: dealId,
              From_Stage__c: 'Validating',
              To_Stage__c: 'Negotiating',
              Kind__c: 'Advance',
              Requested_By__c: VENDOR_USER,
              Requesting_Side__c: 'Vendor',
              Status__c: 'Pending',
              Expires_At__c: LATER,
              Deal_Version__c: 3,
              Pending_Deal_Key__c: dealId,
            },
          ],
        },
      ]);
      const deals = [];
      for await (const deal of store.streamDeals()) deals.push(deal);
      expect(deals.find((d) => d.id === dealId)).toEqual({
        id: dealId,
        name: 'Pemberton Mills - Analytics',
        partnerAccountId: PARTNER,
        model: 'Default',
        stage: 'Validating',
        stageEnteredAt: NOW,
        amount: expect.stringMatching(/^50000(\.0+)?$/),
        currencyIsoCode: 'EUR',
        closeDate: '2026-09-30',
      });
      const partners = await store.listDealPartners();
      expect(partners).toEqual([
        {
          dealId,
          partnerAccountId: PARTNER,
          role: 'Sourcing',
          splitPercent: expect.anything(),
        },
      ]);
      expect(Number(partners[0]!.splitPercent)).toBe(100);
      const pending = await store.listPendingRequests();
      expect(pending.map((r) => [r.dealId, r.toStage])).toEqual([
        [dealId, 'Negotiating'],
      ]);
      const accounts = await store.listAccounts([
        PARTNER,
        OTHER_PARTNER,
        PARTNER,
      ]);
      expect(accounts.map((a) => a.name).sort()).toEqual([
        'Other Suite Partner',
        'Suite Partner Ltd',
      ]);
      expect(await store.getAccount(PARTNER)).toEqual({
        id: PARTNER,
        name: 'Suite Partner Ltd',
        isPartner: true,
      });
      expect((await store.getAccount(CUSTOMER))?.isPartner).toBe(false);
      expect(await store.getAccount(demoId('001', 999))).toBeNull();
      const matches = await store.listDealsToMatch();
      expect(matches.find((m) => m.id === dealId)).toEqual(
        expect.objectContaining({
          customerCompany: 'Pemberton Mills Inc.',
          customerWebsite: 'https://pemberton-mills.test',
          productLine: null,
        }),
      );
    });
  });
}
