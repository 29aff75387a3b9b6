import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';

/**
 * A link to a record's page that works in Lightning Experience and in an
 * Experience Cloud site: the URL comes from `NavigationMixin.GenerateUrl`, so
 * the link can be opened in a new tab, and a plain click navigates in place.
 */
export default class CosellRecordLink extends NavigationMixin(
    LightningElement,
) {
    /** Text of the link. */
    @api label;

    /** The record page URL once generated; until then a click still navigates. */
    url = '#';
    connected = false;
    _recordId;

    /** Id of the record to link to. */
    @api
    get recordId() {
        return this._recordId;
    }

    set recordId(value) {
        this._recordId = value;
        // Navigation needs the page's context, which a component has once connected.
        if (this.connected) {
            this.generateUrl();
        }
    }

    get pageReference() {
        return {
            type: 'standard__recordPage',
            attributes: { recordId: this._recordId, actionName: 'view' },
        };
    }

    connectedCallback() {
        this.connected = true;
        this.generateUrl();
    }

    disconnectedCallback() {
        this.connected = false;
    }

    generateUrl() {
        const recordId = this._recordId;
        this.url = '#';
        this[NavigationMixin.GenerateUrl](this.pageReference)
            .then((url) => {
                if (this._recordId === recordId) {
                    this.url = url;
                }
            })
            .catch(() => {
                // The link keeps '#', and a click still navigates with Navigate.
            });
    }

    handleClick(event) {
        event.preventDefault();
        this[NavigationMixin.Navigate](this.pageReference);
    }
}
