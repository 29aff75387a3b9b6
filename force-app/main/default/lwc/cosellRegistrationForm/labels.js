/** Custom labels of `cosellRegistrationForm`. */
import COMPANY from '@salesforce/label/c.Cosell_Register_Company';
import WEBSITE from '@salesforce/label/c.Cosell_Register_Website';
import WEBSITE_HELP from '@salesforce/label/c.Cosell_Register_Website_Help';
import COUNTRY from '@salesforce/label/c.Cosell_Register_Country';
import PRODUCT_LINE from '@salesforce/label/c.Cosell_Register_Product_Line';
import AMOUNT from '@salesforce/label/c.Cosell_Register_Amount';
import AMOUNT_HELP from '@salesforce/label/c.Cosell_Register_Amount_Help';
import CURRENCY from '@salesforce/label/c.Cosell_Register_Currency';
import CLOSE_DATE from '@salesforce/label/c.Cosell_Register_Close_Date';
import CHOOSE from '@salesforce/label/c.Cosell_Register_Choose';
import SUBMIT from '@salesforce/label/c.Cosell_Register_Submit';
import REQUIRED from '@salesforce/label/c.Cosell_Field_Required';
import SUMMARY from '@salesforce/label/c.Cosell_Register_Error_Summary';
import SUMMARY_ONE from '@salesforce/label/c.Cosell_Register_Error_Summary_One';
import ERROR_ITEM from '@salesforce/label/c.Cosell_Register_Error_Item';
import ERROR_CHOICES from '@salesforce/label/c.Cosell_Error_Choices';

export const LABELS = {
    choose: CHOOSE,
    submit: SUBMIT,
    required: REQUIRED,
    summary: SUMMARY,
    summaryOne: SUMMARY_ONE,
    errorItem: ERROR_ITEM,
    errorChoices: ERROR_CHOICES,
};

/** The form's fields in order; `options` names the picklist that fills a select. */
export const FIELDS = [
    {
        name: 'customerCompany',
        label: COMPANY,
        type: 'text',
        required: true,
        maxLength: 255,
        autocomplete: 'organization',
    },
    {
        name: 'customerWebsite',
        label: WEBSITE,
        help: WEBSITE_HELP,
        type: 'url',
        required: false,
        maxLength: 255,
        autocomplete: 'url',
    },
    {
        name: 'customerCountry',
        label: COUNTRY,
        type: 'text',
        required: true,
        maxLength: 80,
        autocomplete: 'country-name',
    },
    {
        name: 'productLine',
        label: PRODUCT_LINE,
        options: 'productLines',
        required: true,
    },
    {
        name: 'amount',
        label: AMOUNT,
        help: AMOUNT_HELP,
        type: 'text',
        inputMode: 'decimal',
        required: true,
        maxLength: 17,
    },
    {
        name: 'currencyIsoCode',
        label: CURRENCY,
        options: 'currencies',
        required: true,
    },
    {
        name: 'expectedCloseDate',
        label: CLOSE_DATE,
        type: 'date',
        required: true,
    },
];
