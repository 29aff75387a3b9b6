import { createElement } from 'lwc';
import CosellErrorPanel from 'c/cosellErrorPanel';
import {
    deepActiveElement,
    flushPromises,
    resetDocument,
    shadowQuery,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

async function mount(props) {
    const element = createElement('c-cosell-error-panel', {
        is: CosellErrorPanel,
    });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

describe('c-cosell-error-panel', () => {
    afterEach(resetDocument);

    it('renders what failed and each message as an alert', async () => {
        const element = await mount({
            heading: 'Could not load the deal',
            errors: [
                { body: { message: 'The co-sell service is unavailable.' } },
                new Error('Second problem'),
            ],
        });

        expect(shadowQuery(element, '[role="alert"]')).not.toBeNull();
        expect(textOf(shadowQuery(element, '[data-id="heading"]'))).toBe(
            'Could not load the deal',
        );
        expect(
            shadowQueryAll(element, '[data-id="messages"] li').map(textOf),
        ).toEqual(['The co-sell service is unavailable.', 'Second problem']);
        expect(shadowQuery(element, '[data-id="unmet"]')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('renders a fallback when the error has no message', async () => {
        const element = await mount({ heading: 'Failed', errors: [{}] });

        expect(textOf(shadowQuery(element, '[data-id="messages"]'))).toBe(
            'The server sent no error message. Reload the page; if it happens again, tell your Salesforce admin.',
        );
    });

    it('renders unmet criteria with and without rule text', async () => {
        const element = await mount({
            heading: 'Could not confirm the move',
            errors: 'The move needs these criteria met first: A; B. Fix it.',
            unmet: [
                { name: 'A', label: 'A', ruleText: 'Rule of A.' },
                { name: 'B', label: 'B' },
            ],
        });

        expect(
            shadowQueryAll(element, '[data-id="unmet"] li').map(textOf),
        ).toEqual(['A: Rule of A.', 'B']);
        await expect(element).toBeAccessible();
    });

    it('moves focus to its heading', async () => {
        const element = await mount({ heading: 'Failed', errors: 'x' });

        element.focus();

        expect(deepActiveElement()).toBe(
            shadowQuery(element, '[data-id="heading"]'),
        );
    });
});
