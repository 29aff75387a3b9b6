import { createElement } from 'lwc';
import CosellCard from 'c/cosellCard';
import {
    flushPromises,
    resetDocument,
    shadowQuery,
    textOf,
} from '../../../../../test/lwcTestUtils';

describe('c-cosell-card', () => {
    afterEach(resetDocument);

    it('renders its heading as a level-two heading', async () => {
        const element = createElement('c-cosell-card', { is: CosellCard });
        element.heading = 'Co-sell stage';
        document.body.appendChild(element);
        await flushPromises();

        expect(textOf(shadowQuery(element, 'h2'))).toBe('Co-sell stage');
        expect(shadowQuery(element, 'slot:not([name])')).not.toBeNull();
        expect(shadowQuery(element, 'slot[name="actions"]')).not.toBeNull();
        await expect(element).toBeAccessible();
    });
});
