import { createElement } from 'lwc';
import CosellRecordLink from 'c/cosellRecordLink';
import { getNavigateCalls, resetNavigateCalls } from 'lightning/navigation';
import {
    flushPromises,
    resetDocument,
    shadowQuery,
    textOf,
} from '../../../../../test/lwcTestUtils';

async function mount(recordId, label) {
    const element = createElement('c-cosell-record-link', {
        is: CosellRecordLink,
    });
    element.recordId = recordId;
    element.label = label;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

describe('c-cosell-record-link', () => {
    afterEach(() => {
        resetDocument();
        resetNavigateCalls();
    });

    it('renders a link to the generated record URL', async () => {
        const element = await mount('006000000000029AAA', 'Tyrell Biotech');

        const anchor = shadowQuery(element, 'a');
        expect(textOf(anchor)).toBe('Tyrell Biotech');
        expect(anchor.getAttribute('href')).toBe(
            '/lightning/r/006000000000029AAA/view',
        );
        await expect(element).toBeAccessible();
    });

    it('navigates to the record page on click', async () => {
        const element = await mount('006000000000029AAA', 'Tyrell Biotech');

        const click = new MouseEvent('click', {
            bubbles: true,
            cancelable: true,
        });
        shadowQuery(element, 'a').dispatchEvent(click);

        expect(click.defaultPrevented).toBe(true);
        expect(getNavigateCalls().map((call) => call.pageReference)).toEqual([
            {
                type: 'standard__recordPage',
                attributes: {
                    recordId: '006000000000029AAA',
                    actionName: 'view',
                },
            },
        ]);
    });

    it('follows a changed record Id', async () => {
        const element = await mount('006000000000029AAA', 'Tyrell Biotech');

        element.recordId = 'a01kycvPeGPqafBAUR';
        await flushPromises();

        expect(shadowQuery(element, 'a').getAttribute('href')).toBe(
            '/lightning/r/a01kycvPeGPqafBAUR/view',
        );
    });
});
