import { createElement } from 'lwc';
import CosellOverrideAction from 'c/cosellOverrideAction';
import overrideRequest from '@salesforce/apex/CosellStageController.overrideRequest';
import {
    deepActiveElement,
    flushPromises,
    resetDocument,
    shadowQuery,
    textOf,
} from '../../../../../test/lwcTestUtils';

// Apex modules exist only in an org, so the mock is virtual.
jest.mock(
    '@salesforce/apex/CosellStageController.overrideRequest',
    () => ({ default: jest.fn() }),
    { virtual: true },
);

const REQUEST = {
    id: 'a06000000000077AAA',
    dealId: '006000000000007AAA',
    kind: 'Close Lost',
    status: 'Pending',
    fromStage: 'Registered',
    toStage: 'Closed_Lost',
    expiresAt: '2026-12-01T15:00:00.000Z',
};

async function mount() {
    const element = createElement('c-cosell-override-action', {
        is: CosellOverrideAction,
    });
    element.request = REQUEST;
    element.dealName = 'Contoso Retail - Services';
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

async function openAndSubmit(element, reason) {
    shadowQuery(element, 'button[data-id="override"]').click();
    await flushPromises();
    const form = shadowQuery(element, 'c-cosell-reason-form');
    if (reason !== undefined) {
        const textarea = shadowQuery(form, 'textarea');
        textarea.value = reason;
        textarea.dispatchEvent(new CustomEvent('input'));
    }
    shadowQuery(form, 'button[type="submit"]').click();
    await flushPromises();
    await flushPromises();
}

describe('c-cosell-override-action', () => {
    afterEach(() => {
        resetDocument();
        jest.clearAllMocks();
    });

    it('renders its button', async () => {
        const element = await mount();

        expect(textOf(shadowQuery(element, 'button'))).toBe(
            'Apply Close Lost as channel manager',
        );
        await expect(element).toBeAccessible();
    });

    it('requires a reason before applying', async () => {
        const element = await mount();

        await openAndSubmit(element);

        expect(overrideRequest).not.toHaveBeenCalled();
        const form = shadowQuery(element, 'c-cosell-reason-form');
        expect(textOf(shadowQuery(form, '[data-id="reason-error"]'))).toBe(
            'Enter a reason.',
        );
        await expect(element).toBeAccessible();
    });

    it('applies the request and reports it', async () => {
        overrideRequest.mockResolvedValue({ request: {}, transition: {} });
        const element = await mount();
        const done = jest.fn();
        element.addEventListener('overridedone', done);

        await openAndSubmit(element, 'Customer stopped answering in October');

        expect(overrideRequest).toHaveBeenCalledWith({
            requestId: REQUEST.id,
            reason: 'Customer stopped answering in October',
        });
        expect(done.mock.calls[0][0].detail.message).toBe(
            'Close Lost applied to Contoso Retail - Services as a one-sided override.',
        );
        expect(shadowQuery(element, 'c-cosell-reason-form')).toBeNull();
    });

    it('renders the error of overrideRequest', async () => {
        overrideRequest.mockRejectedValue({
            body: {
                message:
                    'User 005000000000001AAA is not a channel manager; only a channel manager may apply an expired Close Lost request.',
            },
        });
        const element = await mount();

        await openAndSubmit(element, 'No answer');

        const panel = shadowQuery(element, 'c-cosell-error-panel');
        const heading = shadowQuery(panel, '[data-id="heading"]');
        expect(textOf(heading)).toBe('Could not apply the Close Lost request');
        expect(deepActiveElement()).toBe(heading);
        expect(shadowQuery(element, 'c-cosell-reason-form')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('returns focus to its button when cancelled', async () => {
        const element = await mount();
        shadowQuery(element, 'button[data-id="override"]').click();
        await flushPromises();

        const form = shadowQuery(element, 'c-cosell-reason-form');
        shadowQuery(form, 'button[type="button"]').click();
        await flushPromises();

        expect(deepActiveElement()).toBe(
            shadowQuery(element, 'button[data-id="override"]'),
        );
    });
});
