/**
 * Invented names for generated co-sell history: customer companies with legal
 * forms and websites, and partner firms. None is meant to be a real company.
 */
import type { Random } from './random.js';

const COMPANY_STEMS = [
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Tailspin',
  'Litware',
  'Adatum',
  'Proseware',
  'Wingtip',
  'Alpine Ski',
  'Blue Yonder',
  'Coho Vineyard',
  'Fourth Coffee',
  'Humongous',
  'Lucerne',
  'Trey Research',
  'Wide World',
  'Woodgrove',
  'City Power',
  'Graphic Design',
  'Relecloud',
  'Bellows',
  'Lamna',
  'Nod Publishers',
  'Southridge',
];

const COMPANY_SECTORS = [
  'Bank',
  'Insurance',
  'Logistics',
  'Health',
  'Retail',
  'Energy',
  'Foods',
  'Motors',
  'Labs',
  'Media',
];

/** Legal forms with the top-level domain and country a company of that form uses. */
const LEGAL_FORMS: Array<{ form: string; tld: string; country: string }> = [
  { form: 'Inc.', tld: 'com', country: 'United States' },
  { form: 'LLC', tld: 'com', country: 'United States' },
  { form: 'Corp.', tld: 'com', country: 'United States' },
  { form: 'GmbH', tld: 'de', country: 'Germany' },
  { form: 'AG', tld: 'ch', country: 'Switzerland' },
  { form: 'Ltd', tld: 'co.uk', country: 'United Kingdom' },
  { form: 'PLC', tld: 'co.uk', country: 'United Kingdom' },
  { form: 'S.A.S.', tld: 'fr', country: 'France' },
  { form: 'B.V.', tld: 'nl', country: 'Netherlands' },
  { form: 'Pty Ltd', tld: 'com.au', country: 'Australia' },
  { form: 'Oy', tld: 'fi', country: 'Finland' },
  { form: 'AB', tld: 'se', country: 'Sweden' },
  { form: 'S.r.l.', tld: 'it', country: 'Italy' },
  { form: 'K.K.', tld: 'co.jp', country: 'Japan' },
];

const PARTNER_NAMES = [
  'Apex Integration Partners',
  'Bluewater Consulting',
  'Cobalt Systems',
  'Meridian Cloud Services',
  'Northstar Solutions',
  'Summit Digital',
  'Harbor Analytics Group',
  'Ironwood Advisory',
  'Keystone Data',
  'Larkspur Technologies',
];

export interface InventedCompany {
  name: string;
  website: string;
  country: string;
}

/** Invents a customer company; stems and sectors repeat, so some customers recur. */
export function inventCompany(random: Random): InventedCompany {
  const stem = COMPANY_STEMS[random.integer(COMPANY_STEMS.length)]!;
  const sector = COMPANY_SECTORS[random.integer(COMPANY_SECTORS.length)]!;
  const legal = LEGAL_FORMS[random.integer(LEGAL_FORMS.length)]!;
  const slug = `${stem}${sector}`.toLowerCase().replace(/[^a-z]/g, '');
  return {
    name: `${stem} ${sector} ${legal.form}`,
    website: `https://www.${slug}.${legal.tld}`,
    country: legal.country,
  };
}

/** Returns the name of partner number `index`, numbered past the list's end. */
export function partnerName(index: number): string {
  const base = PARTNER_NAMES[index % PARTNER_NAMES.length]!;
  const round = Math.floor(index / PARTNER_NAMES.length);
  return round === 0 ? base : `${base} ${round + 1}`;
}
