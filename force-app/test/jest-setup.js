/**
 * Setup of the `lwc` jest project, run before each LWC test file.
 *
 * - Registers the sa11y matcher `toBeAccessible()`.
 * - Serves every `@salesforce/label/c.*` import with the label's value from
 *   `CustomLabels.labels-meta.xml`, so tests read the text users see. Without it
 *   sfdx-lwc-jest returns the label's name, such as `c.Cosell_Confirm`.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { setup } = require('@sa11y/jest');

const LABELS_FILE = join(
    __dirname,
    '..',
    'main',
    'default',
    'labels',
    'CustomLabels.labels-meta.xml',
);

const XML_ENTITIES = {
    '&amp;': '&',
    '&lt;': '<',
    '&gt;': '>',
    '&quot;': '"',
    '&apos;': "'",
};

function decodeXml(text) {
    return text.replace(/&(?:amp|lt|gt|quot|apos);/g, (entity) => {
        return XML_ENTITIES[entity];
    });
}

/** Reads `{ fullName: value }` from the custom labels file. */
function readLabels(file) {
    const labels = {};
    const xml = readFileSync(file, 'utf8');
    for (const [, body] of xml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)) {
        const name = /<fullName>([^<]*)<\/fullName>/.exec(body);
        const value = /<value>([^<]*)<\/value>/.exec(body);
        if (!name || !value) {
            throw new Error(
                `A label in ${file} has no fullName or value: ${body.trim()}. Give every label both.`,
            );
        }
        labels[name[1]] = decodeXml(value[1]);
    }
    return labels;
}

setup();

for (const [name, value] of Object.entries(readLabels(LABELS_FILE))) {
    // doMock, unlike mock, is not hoisted, so the factory may read `value`.
    jest.doMock(`@salesforce/label/c.${name}`, () => ({ default: value }), {
        virtual: true,
    });
}
