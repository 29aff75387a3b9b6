/**
 * Checks the custom labels file against the components: every label a
 * component imports exists, every label is used, and each fits the limits an org
 * enforces at deploy time.
 */
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const DEFAULT_DIR = join(__dirname, '..', 'main', 'default');
const LABELS_FILE = join(DEFAULT_DIR, 'labels', 'CustomLabels.labels-meta.xml');
const LWC_DIR = join(DEFAULT_DIR, 'lwc');

// A deploy fails with "Value too long for field: MasterLabel maximum length
// is:80" when a short description is longer.
const MAX_DESCRIPTION_LENGTH = 80;
const MAX_VALUE_LENGTH = 1000;

function readLabels() {
    const xml = readFileSync(LABELS_FILE, 'utf8');
    return [...xml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)].map(
        ([, body]) => {
            const field = (name) =>
                new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
            return {
                name: field('fullName'),
                description: field('shortDescription'),
                value: field('value'),
                language: field('language'),
            };
        },
    );
}

function componentSources(dir) {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === '__tests__' ? [] : componentSources(path);
        }
        return entry.name.endsWith('.js') ? [readFileSync(path, 'utf8')] : [];
    });
}

function importedLabels() {
    const names = componentSources(LWC_DIR).flatMap((source) =>
        [...source.matchAll(/@salesforce\/label\/c\.(\w+)/g)].map(
            (match) => match[1],
        ),
    );
    return [...new Set(names)].sort();
}

describe('custom labels', () => {
    const labels = readLabels();
    const defined = labels.map((label) => label.name);

    it('defines every label the components import', () => {
        const missing = importedLabels().filter(
            (name) => !defined.includes(name),
        );
        expect(missing).toEqual([]);
    });

    it('uses every label it defines', () => {
        const imported = importedLabels();
        const unused = defined.filter((name) => !imported.includes(name));
        expect(unused).toEqual([]);
    });

    it('names each label once, in order', () => {
        expect(defined).toEqual([...new Set(defined)].sort());
    });

    it('gives each label a description and a value', () => {
        const incomplete = labels.filter(
            (label) => !label.description || !label.value || !label.language,
        );
        expect(incomplete).toEqual([]);
    });

    it('keeps descriptions and values within org limits', () => {
        const tooLong = labels.filter(
            (label) =>
                label.description.length > MAX_DESCRIPTION_LENGTH ||
                label.value.length > MAX_VALUE_LENGTH,
        );
        expect(tooLong).toEqual([]);
    });
});
