import { createElement } from 'lwc';
import CosellCriteriaList from 'c/cosellCriteriaList';
import {
    flushPromises,
    resetDocument,
    shadowQuery,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

const UNMET_STEP = {
    name: 'Default_Validating_Customer_Step',
    label: 'Customer owns a close plan step',
    kind: 'Exit',
    stage: 'Validating',
    ruleText: 'The close plan has at least one step owned by the customer.',
    evidenceLabel: 'Customer-owned close plan step',
    met: false,
    value: false,
    evidence: [
        {
            path: 'COUNT(Close_Plan_Steps__r, ISPICKVAL(Owner_Side__c, "Customer"))',
            value: 0,
            relationship: 'Close_Plan_Steps__r',
            recordCount: 2,
            matchedCount: 0,
        },
    ],
};

const MET_OWNERS = {
    name: 'Default_Registered_Owners_Named',
    label: 'Vendor and partner owners named',
    kind: 'Exit',
    stage: 'Registered',
    ruleText: 'Both a vendor owner and a partner owner are named on the deal.',
    evidenceLabel: 'Vendor owner and partner owner',
    met: true,
    value: true,
    evidence: [
        { path: 'Vendor_Owner__c', value: '005000000000001AAA' },
        { path: 'Partner_Owner__c', value: null },
        { path: 'IsWon', value: false },
        { path: 'ExpectedRevenue', value: null, redacted: true },
    ],
};

async function mount(props) {
    const element = createElement('c-cosell-criteria-list', {
        is: CosellCriteriaList,
    });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

function evidenceLines(element, name) {
    return shadowQueryAll(
        element,
        `li[data-criterion="${name}"] .slds-list_dotted li`,
    ).map(textOf);
}

describe('c-cosell-criteria-list', () => {
    afterEach(resetDocument);

    it('renders each criterion met or not met with its rule', async () => {
        const element = await mount({ criteria: [UNMET_STEP, MET_OWNERS] });

        const rows = shadowQueryAll(element, 'li[data-criterion]').map((li) => [
            textOf(li.querySelector('[data-id="status"]')),
            textOf(li.querySelector('[data-id="label"]')),
        ]);
        expect(rows).toEqual([
            ['Not met', 'Customer owns a close plan step'],
            ['Met', 'Vendor and partner owners named'],
        ]);
        const first = shadowQuery(
            element,
            `li[data-criterion="${UNMET_STEP.name}"]`,
        );
        expect(textOf(first)).toContain(UNMET_STEP.ruleText);
        expect(textOf(first)).toContain(
            'Evidence: Customer-owned close plan step',
        );
        await expect(element).toBeAccessible();
    });

    it('renders the values each criterion read', async () => {
        const element = await mount({ criteria: [UNMET_STEP, MET_OWNERS] });

        expect(evidenceLines(element, UNMET_STEP.name)).toEqual([
            'Close_Plan_Steps__r: 0 of 2 records match',
        ]);
        expect(evidenceLines(element, MET_OWNERS.name)).toEqual([
            'Vendor_Owner__c: 005000000000001AAA',
            'Partner_Owner__c: blank',
            'IsWon: false',
            'ExpectedRevenue: hidden from partner users',
        ]);
    });

    it('renders the default text for no criteria', async () => {
        const element = await mount({ criteria: [] });

        expect(textOf(shadowQuery(element, '[data-id="empty"]'))).toBe(
            'No criteria to check.',
        );
        await expect(element).toBeAccessible();
    });

    it('renders the given text for no criteria', async () => {
        const element = await mount({
            criteria: [],
            emptyText: 'No criteria were checked for this move.',
        });

        expect(textOf(shadowQuery(element, '[data-id="empty"]'))).toBe(
            'No criteria were checked for this move.',
        );
    });
});
