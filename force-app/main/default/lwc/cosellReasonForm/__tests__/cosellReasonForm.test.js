import { createElement } from 'lwc';
import CosellReasonForm from 'c/cosellReasonForm';
import {
    deepActiveElement,
    flushPromises,
    resetDocument,
    shadowQuery,
    textOf,
} from '../../../../../test/lwcTestUtils';

async function mount(props) {
    const element = createElement('c-cosell-reason-form', {
        is: CosellReasonForm,
    });
    Object.assign(
        element,
        { heading: 'Reject the request', submitLabel: 'Reject request' },
        props,
    );
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

function type(element, text) {
    const textarea = shadowQuery(element, 'textarea');
    textarea.value = text;
    textarea.dispatchEvent(new CustomEvent('input'));
}

describe('c-cosell-reason-form', () => {
    afterEach(resetDocument);

    it('renders a labelled reason field with focus on it', async () => {
        const element = await mount({
            reasonLabel: 'Reason',
            reasonRequired: true,
        });

        const textarea = shadowQuery(element, 'textarea');
        expect(textarea.required).toBe(true);
        expect(textarea.maxLength).toBe(1000);
        expect(deepActiveElement()).toBe(textarea);
        expect(shadowQuery(element, 'select')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('renders a validation error for a blank required reason', async () => {
        const element = await mount({
            reasonLabel: 'Reason',
            reasonRequired: true,
        });
        const submitted = jest.fn();
        element.addEventListener('formsubmit', submitted);

        type(element, '   ');
        shadowQuery(element, 'button[type="submit"]').click();
        await flushPromises();

        expect(submitted).not.toHaveBeenCalled();
        expect(textOf(shadowQuery(element, '[data-id="reason-error"]'))).toBe(
            'Enter a reason.',
        );
        expect(
            shadowQuery(element, 'textarea').getAttribute('aria-invalid'),
        ).toBe('true');
        await expect(element).toBeAccessible();

        type(element, 'Budget moved to next year');
        await flushPromises();
        expect(textOf(shadowQuery(element, '[data-id="reason-error"]'))).toBe(
            '',
        );
    });

    it('sends a blank optional reason as null', async () => {
        const element = await mount({ reasonLabel: 'Reason (optional)' });
        const submitted = jest.fn();
        element.addEventListener('formsubmit', submitted);

        shadowQuery(element, 'button[type="submit"]').click();

        expect(submitted.mock.calls[0][0].detail).toEqual({
            reason: null,
            toStage: null,
        });
    });

    it('fires formcancel from its cancel button', async () => {
        const element = await mount({ reasonLabel: 'Reason' });
        const cancelled = jest.fn();
        element.addEventListener('formcancel', cancelled);

        shadowQuery(element, 'button[type="button"]').click();

        expect(cancelled).toHaveBeenCalledTimes(1);
    });

    it('disables its buttons while a call runs', async () => {
        const element = await mount({ reasonLabel: 'Reason', disabled: true });

        expect(shadowQuery(element, 'button[type="submit"]').disabled).toBe(
            true,
        );
        expect(shadowQuery(element, 'button[type="button"]').disabled).toBe(
            true,
        );
    });
});
