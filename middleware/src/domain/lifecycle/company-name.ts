/**
 * Company-name normalisation for registration conflict checks. Two names are the
 * same company when their keys are equal. There is no fuzzy matching, because
 * names such as "Bank of the West" and "Bank of the East" differ in one word and
 * are different customers.
 */

/** Letters that Unicode decomposition leaves whole, spelled in ASCII. */
const LETTER_SPELLINGS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * Legal-form suffixes, as token sequences after punctuation removal ("S.A.S."
 * becomes `sas`, "A/S" becomes `as`, "Pty. Ltd." becomes `pty ltd`). They are removed from the end of
 * a name, longest first and repeatedly, so "Acme Co., Ltd." loses both.
 */
const LEGAL_SUFFIXES: string[][] = [
  'gmbh and co kg',
  'limited liability company',
  'public limited company',
  'private limited',
  'sa de cv',
  'kabushiki kaisha',
  'pty ltd',
  'pte ltd',
  'pvt ltd',
  'and co',
  'incorporated',
  'corporation',
  'company',
  'limited',
  'inc',
  'ltd',
  'llc',
  'llp',
  'lp',
  'gmbh',
  'ag',
  'kg',
  'sa',
  'sas',
  'sarl',
  'sl',
  'bv',
  'nv',
  'pty',
  'plc',
  'corp',
  'co',
  'kk',
  'oy',
  'oyj',
  'ab',
  'as',
  'asa',
  'aps',
  'spa',
  'srl',
  'se',
  'ltda',
].map((suffix) => suffix.split(' '));
LEGAL_SUFFIXES.sort((a, b) => b.length - a.length);

/**
 * Returns the words of a company name without case, accents, punctuation, a
 * leading "the" or legal-form suffixes, and with "&" spelled "and". A name made
 * only of suffix words ("AG") keeps them, so it still has a key.
 */
export function companyNameWords(name: string): string[] {
  const folded = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæøœłđðþı]/g, (letter) => LETTER_SPELLINGS[letter] ?? letter)
    .replace(/&/g, ' and ')
    .replace(/[.'’`/]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (folded === '') return [];
  const words = folded.split(' ');
  let end = words.length;
  const start = words[0] === 'the' && words.length > 1 ? 1 : 0;
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const suffix of LEGAL_SUFFIXES) {
      if (end - start <= suffix.length) continue;
      if (suffix.every((word, i) => words[end - suffix.length + i] === word)) {
        end -= suffix.length;
        stripped = true;
        break;
      }
    }
  }
  return words.slice(start, end);
}

/** Returns the normalised name as readable text, such as `bank of the west`. */
export function normalizeCompanyName(name: string): string {
  return companyNameWords(name).join(' ');
}

/**
 * Returns the matching key: the normalised words joined without spaces, so
 * "A.B.C. Corp" and "A B C" both give `abc`. Empty when the name has no letters
 * or digits.
 */
export function companyNameKey(name: string): string {
  return companyNameWords(name).join('');
}
