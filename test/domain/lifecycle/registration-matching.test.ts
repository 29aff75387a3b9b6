import { describe, expect, it } from '@jest/globals';
import {
  companyNameKey,
  normalizeCompanyName,
} from '../../../middleware/src/domain/lifecycle/company-name.js';
import {
  checkRegistrationConflicts,
  isRegistrationExpired,
  registrationExpiresAt,
} from '../../../middleware/src/domain/lifecycle/registration-matching.js';
import type { RegistrationToMatch } from '../../../middleware/src/domain/lifecycle/registration-matching.js';
import {
  websiteDomain,
  websiteHost,
} from '../../../middleware/src/domain/lifecycle/website-domain.js';

const SAME_COMPANY: Array<[string, string]> = [
  ['Acme Inc.', 'ACME, Inc'],
  ['Acme Incorporated', 'acme'],
  ['Acme Corp', 'Acme Corporation'],
  ['  Acme   Corp  ', 'acme'],
  ['Acme Co., Ltd.', 'Acme'],
  ['Acme Pty. Ltd.', 'Acme Pty Ltd'],
  ['Acme Limited', 'Acme LLC'],
  ['Société Générale S.A.', 'Societe Generale'],
  ['Müller GmbH', 'Muller'],
  ['Straße AG', 'Strasse'],
  ["L'Oréal S.A.", 'LOreal'],
  ['Procter & Gamble Co.', 'Procter and Gamble Company'],
  ['Nokia Oyj', 'Nokia'],
  ['Supercell Oy', 'Supercell'],
  ['Volvo AB', 'Volvo'],
  ['Ørsted A/S', 'Orsted'],
  ['Fiat S.p.A.', 'Fiat SpA'],
  ['Barilla S.r.l.', 'Barilla'],
  ['Carrefour S.A.S.', 'Carrefour SAS'],
  ['Renault SARL', 'Renault'],
  ['Toyota K.K.', 'Toyota KK'],
  ['ABN AMRO Bank N.V.', 'ABN AMRO Bank'],
  ['Philips B.V.', 'Philips BV'],
  ['BP p.l.c.', 'BP'],
  ['Dr. Oetker GmbH & Co. KG', 'Dr Oetker'],
  ['The Home Depot, Inc.', 'Home Depot'],
  ['A.B.C. Corp', 'A B C'],
  ['Nestlé S.A.', 'NESTLE'],
  ['Łódź Logistics Sp', 'Lodz Logistics Sp'],
  ['N\u043Erthwind Traders', 'Northwind Traders'],
  ['\u0412ank of the West', 'Bank of the West'],
  ['\u0391cme \u0399nc', 'Acme'],
  ['\u0421\u043E\u0441\u043E', 'Coco'],
  ['N\u043E\u0308rthwind', 'Nörthwind'],
];

const DIFFERENT_COMPANY: Array<[string, string]> = [
  ['Bank of the West', 'Bank of the East'],
  ['Bank of the West, Inc.', 'Bank of the East Inc'],
  ['Acme Analytics', 'Acme Security'],
  ['Acme Group', 'Acme'],
  ['AG Barr', 'Barr'],
  ['United Airlines', 'United Airways'],
  ['Delta Air Lines', 'Delta Faucet'],
  ['Ameritrade', 'Amerigas'],
  ['Acme', 'Acme 2'],
  ['First National Bank', 'Second National Bank'],
  [
    '\u0413\u0430\u0437\u043F\u0440\u043E\u043C',
    '\u0420\u043E\u0441\u043D\u0435\u0444\u0442\u044C',
  ],
];

describe('company name normaliser', () => {
  it.each(SAME_COMPANY)('matches "%s" with "%s"', (left, right) => {
    expect(companyNameKey(left)).toBe(companyNameKey(right));
    expect(companyNameKey(left)).not.toBe('');
  });

  it.each(DIFFERENT_COMPANY)('keeps "%s" apart from "%s"', (left, right) => {
    expect(companyNameKey(left)).not.toBe(companyNameKey(right));
  });

  it('keeps readable words', () => {
    expect(normalizeCompanyName('Bank of the West, Inc.')).toBe(
      'bank of the west',
    );
    expect(normalizeCompanyName('Procter & Gamble Co.')).toBe(
      'procter and gamble',
    );
  });

  it('keeps a name made only of a suffix', () => {
    expect(normalizeCompanyName('AG')).toBe('ag');
    expect(normalizeCompanyName('The Company')).toBe('company');
  });

  it('gives an empty key without letters', () => {
    expect(companyNameKey(' -- ')).toBe('');
  });
});

describe('website domain', () => {
  it.each([
    ['https://www.Acme.com/about', 'acme.com'],
    ['acme.com', 'acme.com'],
    ['HTTP://WWW.ACME.COM:8080', 'acme.com'],
    ['www2.acme.com', 'acme.com'],
    ['https://user@acme.de/path?q=1#x', 'acme.de'],
    ['acme.com.', 'acme.com'],
    ['shop.eu.acme.com', 'acme.com'],
    ['shop.acme.co.uk/basket', 'acme.co.uk'],
    ['www.acme.com.au', 'acme.com.au'],
    ['https://acme.co.jp', 'acme.co.jp'],
    ['10.1.2.3', '10.1.2.3'],
    ['https://kappa.github.io/docs', 'kappa.github.io'],
    ['acme.com.pe', 'acme.com.pe'],
    ['shop.acme.com.pe', 'acme.com.pe'],
    ['https://example.xn--p1ai', 'example.xn--p1ai'],
    ['https://acme.my.salesforce.com/home', 'acme.my.salesforce.com'],
    ['support.acme.my.site.com', 'acme.my.site.com'],
    ['acme.lightning.force.com', 'acme.lightning.force.com'],
    ['acme.force.com', 'acme.force.com'],
    ['acme.sharepoint.com', 'acme.sharepoint.com'],
    ['salesforce.com', 'salesforce.com'],
  ])('extracts %s as %s', (website, domain) => {
    expect(websiteDomain(website)).toBe(domain);
  });

  it.each([
    [''],
    ['   '],
    ['n/a'],
    ['localhost'],
    ['co.uk'],
    ['com.pe'],
    ['https://github.io'],
    ['www.herokuapp.com'],
    ['acme..com'],
    ['-acme.com'],
    ['acme-.com'],
    ['my.salesforce.com'],
    ['https://force.com'],
    [null],
  ])('returns null for %p', (website) => {
    expect(websiteDomain(website)).toBeNull();
  });

  it.each([
    ['https://kappa.github.io', 'https://lambda.github.io'],
    ['kappa.herokuapp.com', 'lambda.herokuapp.com'],
    ['kappa.blogspot.com', 'lambda.blogspot.com'],
    ['acme.com.pe', 'other.com.pe'],
    ['acme.com.ua', 'other.com.ua'],
    ['acme.my.salesforce.com', 'globex.my.salesforce.com'],
    ['acme.my.site.com', 'globex.my.site.com'],
    ['acme.zendesk.com', 'globex.zendesk.com'],
    ['acme.atlassian.net', 'globex.atlassian.net'],
  ])('keeps %s apart from %s', (left, right) => {
    expect(websiteDomain(left)).not.toBeNull();
    expect(websiteDomain(right)).not.toBeNull();
    expect(websiteDomain(left)).not.toBe(websiteDomain(right));
  });

  it('matches a subdomain with its company domain', () => {
    expect(websiteDomain('https://shop.acme.co.uk')).toBe('acme.co.uk');
    expect(websiteDomain('acme.co.uk')).toBe('acme.co.uk');
  });

  it('matches an international name with its ASCII form', () => {
    expect(websiteDomain('https://münchen-bank.de')).toBe(
      websiteDomain('xn--mnchen-bank-thb.de'),
    );
    expect(websiteHost('https://münchen-bank.de')).toMatch(/^xn--/);
  });
});

const REGISTRATION: RegistrationToMatch = {
  id: 'a0R000000000001AAA',
  name: 'DR-00001',
  customerCompany: 'Bank of the West, Inc.',
  customerWebsite: 'https://www.bankofthewest.com',
  productLine: 'Analytics',
  status: 'Approved',
};

describe('checkRegistrationConflicts', () => {
  it('reports a conflict on the same name and product line', () => {
    const result = checkRegistrationConflicts(
      { customerCompany: 'BANK OF THE WEST', productLine: 'Analytics' },
      [REGISTRATION],
      [],
    );
    expect(result.status).toBe('Conflict');
    if (result.status !== 'Conflict') return;
    expect(result.matches).toHaveLength(1);
    expect(result.matches[0]!.object).toBe('Deal_Registration__c');
    expect(result.matches[0]!.reasons).toEqual([
      'same company name: "bank of the west"',
      'same product line: Analytics',
    ]);
  });

  it('reports a conflict on the same domain alone', () => {
    const result = checkRegistrationConflicts(
      {
        customerCompany: 'BoW Holdings',
        customerWebsite: 'bankofthewest.com/careers',
        productLine: 'Analytics',
      },
      [REGISTRATION],
      [],
    );
    expect(result.status).toBe('Conflict');
    if (result.status !== 'Conflict') return;
    expect(result.matches[0]!.reasons).toContain(
      'same website domain: bankofthewest.com',
    );
  });

  it('keeps two sites under github.io apart', () => {
    const result = checkRegistrationConflicts(
      {
        customerCompany: 'Lambda Labs',
        customerWebsite: 'https://lambda.github.io',
        productLine: 'Analytics',
      },
      [
        {
          ...REGISTRATION,
          customerCompany: 'Kappa Research',
          customerWebsite: 'https://kappa.github.io',
        },
      ],
      [],
    );
    expect(result).toEqual({ status: 'Clear', related: [] });
  });

  it('treats an unknown product line as a conflict', () => {
    const result = checkRegistrationConflicts(
      { customerCompany: 'Bank of the West', productLine: null },
      [REGISTRATION],
      [],
    );
    expect(result.status).toBe('Conflict');
    if (result.status !== 'Conflict') return;
    expect(result.matches[0]!.reasons).toContain(
      'product line not known on one side',
    );
  });

  it('reports another product line as related only', () => {
    const result = checkRegistrationConflicts(
      { customerCompany: 'Bank of the West', productLine: 'Security' },
      [REGISTRATION],
      [],
    );
    expect(result.status).toBe('Clear');
    expect(result.related).toHaveLength(1);
    expect(result.related[0]!.reasons).toContain(
      'different product line: Security here, Analytics there',
    );
  });

  it('ignores a shared product line alone', () => {
    const result = checkRegistrationConflicts(
      {
        customerCompany: 'Bank of the East',
        customerWebsite: 'bankoftheeast.com',
        productLine: 'Analytics',
      },
      [REGISTRATION],
      [],
    );
    expect(result).toEqual({ status: 'Clear', related: [] });
  });

  it('matches open deals by account name', () => {
    const result = checkRegistrationConflicts(
      { customerCompany: 'Contoso GmbH', productLine: 'Platform' },
      [],
      [
        {
          id: '006000000000001AAA',
          name: 'Contoso - Platform',
          customerCompany: 'Contoso AG',
          customerWebsite: null,
          productLine: null,
        },
      ],
    );
    expect(result.status).toBe('Conflict');
    if (result.status !== 'Conflict') return;
    expect(result.matches[0]!.object).toBe('Opportunity');
  });

  it('skips itself and closed registrations', () => {
    const result = checkRegistrationConflicts(
      {
        id: REGISTRATION.id,
        customerCompany: 'Bank of the West',
        productLine: 'Analytics',
      },
      [REGISTRATION, { ...REGISTRATION, id: 'other', status: 'Rejected' }],
      [],
    );
    expect(result.status).toBe('Clear');
  });
});

describe('registration expiry', () => {
  it('adds whole days', () => {
    expect(registrationExpiresAt('2026-01-31T10:00:00Z', 30)).toBe(
      '2026-03-02T10:00:00.000Z',
    );
    expect(registrationExpiresAt('2026-01-31T10:00:00+0100', 1)).toBe(
      '2026-02-01T09:00:00.000Z',
    );
  });

  it('rejects a non-whole expiry', () => {
    expect(() => registrationExpiresAt('2026-01-31T10:00:00Z', 0)).toThrow(
      /whole number of days/,
    );
    expect(() => registrationExpiresAt('2026-01-31T10:00:00Z', 1.5)).toThrow(
      /1\.5 days is not a whole number/,
    );
  });

  it('rejects an instant without an offset', () => {
    expect(() => registrationExpiresAt('2026-01-31T10:00:00', 3)).toThrow(
      /time zone offset/,
    );
  });

  it('expires at the instant itself', () => {
    const expiresAt = '2026-03-02T10:00:00.000Z';
    expect(isRegistrationExpired(expiresAt, '2026-03-02T09:59:59Z')).toBe(
      false,
    );
    expect(isRegistrationExpired(expiresAt, '2026-03-02T10:00:00Z')).toBe(true);
    expect(isRegistrationExpired(expiresAt, '2026-03-02T11:00:00+01:00')).toBe(
      true,
    );
  });
});
