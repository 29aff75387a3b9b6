import { LightningElement, api } from 'lwc';

/**
 * The SLDS card of the co-sell components: a level-two heading, an optional
 * `actions` slot beside it, and the body in the default slot.
 */
export default class CosellCard extends LightningElement {
    /** Text of the card's heading. */
    @api heading;
}
