import { createElement } from 'lwc';
import CosellRequestActions from 'c/cosellRequestActions';
import requestStage from '@salesforce/apex/CosellStageController.requestStage';
import rejectRequest from '@salesforce/apex/CosellStageController.rejectRequest';
import withdrawRequest from '@salesforce/apex/CosellStageController.withdrawRequest';
import {
    deepActiveElement,
    flushPromises,
    resetDocument,
    shadowQuery,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

// Apex modules exist only in an org, so each mock is virtual.
jest.mock(
    '@salesforce/apex/CosellStageController.requestStage',
    () => ({ default: jest.fn() }),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex/CosellStageController.confirmRequest',
    () => ({ default: jest.fn() }),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex/CosellStageController.rejectRequest',
    () => ({ default: jest.fn() }),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex/CosellStageController.withdrawRequest',
    () => ({ default: jest.fn() }),
    { virtual: true },
);

const STAGES = require('./data/stages.json');
const DEAL_OPEN = require('./data/dealOpen.json');
const DEAL_REQUESTER = require('./data/dealPendingRequester.json');
const DEAL_CONFIRMER = require('./data/dealPendingConfirmer.json');
const EVALUATION_UNMET = require('./data/evaluationUnmet.json');
const EVALUATION_MET = require('./data/evaluationMet.json');

function mount(deal, evaluation) {
    const element = createElement('c-cosell-request-actions', {
        is: CosellRequestActions,
    });
    element.deal = deal;
    element.evaluation = evaluation;
    element.stages = STAGES;
    document.body.appendChild(element);
    return element;
}

function button(element, mode) {
    return shadowQuery(element, `button[data-mode="${mode}"]`);
}

function form(element) {
    return shadowQuery(element, 'c-cosell-reason-form');
}

function typeReason(element, text) {
    const textarea = shadowQuery(form(element), 'textarea');
    textarea.value = text;
    textarea.dispatchEvent(new CustomEvent('input'));
}

function submitForm(element) {
    shadowQuery(form(element), 'button[type="submit"]').click();
}

function listen(element, name) {
    const handler = jest.fn();
    element.addEventListener(name, handler);
    return handler;
}

describe('c-cosell-request-actions', () => {
    afterEach(() => {
        resetDocument();
        jest.clearAllMocks();
    });

    it('renders the request buttons when nothing is pending', async () => {
        const element = mount(DEAL_OPEN, EVALUATION_UNMET);
        await flushPromises();

        const modes = shadowQueryAll(element, 'button').map(
            (item) => item.dataset.mode,
        );
        expect(modes).toEqual(['advance', 'back', 'lost']);
        await expect(element).toBeAccessible();
    });

    it('requests a move back to a chosen stage', async () => {
        requestStage.mockResolvedValue({
            ...DEAL_REQUESTER.pendingRequest,
            kind: 'Back',
            toStage: 'Jointly_Qualified',
        });
        const actions = mount(DEAL_OPEN, EVALUATION_UNMET);
        const changed = listen(actions, 'requestchange');
        button(actions, 'back').click();
        await flushPromises();

        const select = shadowQuery(form(actions), 'select');
        const options = [...select.querySelectorAll('option')].map((option) => [
            option.value,
            textOf(option),
        ]);
        expect(options).toEqual([
            ['', 'Choose a stage'],
            ['Registered', 'Identified & Registered'],
            ['Jointly_Qualified', 'Jointly Qualified'],
        ]);
        expect(deepActiveElement()).toBe(select);
        await expect(actions).toBeAccessible();

        submitForm(actions);
        await flushPromises();
        expect(requestStage).not.toHaveBeenCalled();
        expect(
            textOf(shadowQuery(form(actions), '[data-id="stage-error"]')),
        ).toBe('Choose the stage to move back to.');
        expect(select.getAttribute('aria-invalid')).toBe('true');
        await expect(actions).toBeAccessible();

        select.value = 'Jointly_Qualified';
        select.dispatchEvent(new CustomEvent('change'));
        typeReason(actions, '  Customer paused the evaluation  ');
        submitForm(actions);
        await flushPromises();

        expect(requestStage).toHaveBeenCalledWith({
            opportunityId: DEAL_OPEN.id,
            kind: 'Back',
            toStage: 'Jointly_Qualified',
            reason: 'Customer paused the evaluation',
        });
        expect(changed).toHaveBeenCalledTimes(1);
        expect(changed.mock.calls[0][0].detail.message).toBe(
            'Request sent to move the deal to Jointly Qualified. The partner side confirms or rejects it.',
        );
        expect(form(actions)).toBeNull();
    });

    it('requires a reason to request Close Lost', async () => {
        requestStage.mockResolvedValue({
            ...DEAL_REQUESTER.pendingRequest,
            kind: 'Close Lost',
            toStage: 'Closed_Lost',
        });
        const element = mount(DEAL_OPEN, EVALUATION_UNMET);
        button(element, 'lost').click();
        await flushPromises();

        expect(textOf(shadowQuery(form(element), 'h3'))).toBe(
            'Request Close Lost',
        );
        submitForm(element);
        await flushPromises();
        expect(requestStage).not.toHaveBeenCalled();
        const textarea = shadowQuery(form(element), 'textarea');
        expect(
            textOf(shadowQuery(form(element), '[data-id="reason-error"]')),
        ).toBe('Enter a reason.');
        expect(deepActiveElement()).toBe(textarea);

        typeReason(element, 'Customer chose a competitor');
        submitForm(element);
        await flushPromises();
        expect(requestStage).toHaveBeenCalledWith({
            opportunityId: DEAL_OPEN.id,
            kind: 'Close Lost',
            toStage: null,
            reason: 'Customer chose a competitor',
        });
    });

    it('returns focus to the button when a form is cancelled', async () => {
        const element = mount(DEAL_OPEN, EVALUATION_UNMET);
        button(element, 'lost').click();
        await flushPromises();

        shadowQuery(form(element), 'button[type="button"]').click();
        await flushPromises();

        expect(form(element)).toBeNull();
        expect(deepActiveElement()).toBe(button(element, 'lost'));
    });

    it('rejects a request with a reason', async () => {
        rejectRequest.mockResolvedValue({
            ...DEAL_CONFIRMER.pendingRequest,
            status: 'Rejected',
        });
        const element = mount(DEAL_CONFIRMER, EVALUATION_MET);
        const changed = listen(element, 'requestchange');
        button(element, 'reject').click();
        await flushPromises();
        await expect(element).toBeAccessible();

        typeReason(element, 'Budget is not confirmed yet');
        submitForm(element);
        await flushPromises();

        expect(rejectRequest).toHaveBeenCalledWith({
            requestId: DEAL_CONFIRMER.pendingRequest.id,
            reason: 'Budget is not confirmed yet',
        });
        expect(changed.mock.calls[0][0].detail.message).toBe(
            'Request rejected. The deal stays at Jointly Qualified.',
        );
    });

    it('renders the error of rejectRequest', async () => {
        rejectRequest.mockRejectedValue({
            body: {
                message:
                    'User 005000000000001AAA is on the Vendor side, which made request a06wEf1DcfXEomUQET. Only the other side can answer it.',
            },
        });
        const element = mount(DEAL_CONFIRMER, EVALUATION_MET);
        const failed = listen(element, 'requestfailed');
        button(element, 'reject').click();
        await flushPromises();
        typeReason(element, 'Not yet');
        submitForm(element);
        await flushPromises();

        const panel = shadowQuery(element, 'c-cosell-error-panel');
        expect(textOf(shadowQuery(panel, '[data-id="heading"]'))).toBe(
            'Could not reject the request',
        );
        expect(textOf(shadowQuery(panel, '[data-id="messages"]'))).toMatch(
            /Only the other side can answer it\.$/,
        );
        expect(failed).toHaveBeenCalledTimes(1);
        // The form stays open, so the reason can be sent again.
        expect(form(element)).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('withdraws a request without a reason', async () => {
        withdrawRequest.mockResolvedValue({
            ...DEAL_REQUESTER.pendingRequest,
            status: 'Withdrawn',
        });
        const element = mount(DEAL_REQUESTER, EVALUATION_MET);
        const changed = listen(element, 'requestchange');
        button(element, 'withdraw').click();
        await flushPromises();

        submitForm(element);
        await flushPromises();

        expect(withdrawRequest).toHaveBeenCalledWith({
            requestId: DEAL_REQUESTER.pendingRequest.id,
            reason: null,
        });
        expect(changed.mock.calls[0][0].detail.message).toBe(
            'Request withdrawn. The deal stays at Jointly Qualified.',
        );
    });

    it('renders the error of withdrawRequest', async () => {
        withdrawRequest.mockRejectedValue({
            body: { message: 'The co-sell service is unavailable.' },
        });
        const element = mount(DEAL_REQUESTER, EVALUATION_MET);
        button(element, 'withdraw').click();
        await flushPromises();
        submitForm(element);
        await flushPromises();

        const panel = shadowQuery(element, 'c-cosell-error-panel');
        const heading = shadowQuery(panel, '[data-id="heading"]');
        expect(textOf(heading)).toBe('Could not withdraw the request');
        expect(deepActiveElement()).toBe(heading);
        await expect(element).toBeAccessible();
    });

    it('renders the error of requestStage', async () => {
        requestStage.mockRejectedValue({
            body: {
                message:
                    'Deal 006000000000029AAA already has pending request a06M9gDlCn5FJqMIKW. Answer or withdraw it first.',
            },
        });
        const element = mount(DEAL_OPEN, EVALUATION_UNMET);
        button(element, 'advance').click();
        await flushPromises();

        const panel = shadowQuery(element, 'c-cosell-error-panel');
        expect(textOf(shadowQuery(panel, '[data-id="heading"]'))).toBe(
            'Could not request the move',
        );
        expect(shadowQuery(panel, '[data-id="unmet"]')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('disables every button while the parent refreshes', async () => {
        const element = mount(DEAL_CONFIRMER, EVALUATION_MET);
        element.disabled = true;
        await flushPromises();

        const states = shadowQueryAll(element, 'button').map(
            (item) => item.disabled,
        );
        expect(states).toEqual([true, true]);
    });
});
