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
 * Cyrillic and Greek letters that look like a Latin letter. A name that swaps one
 * in, such as "Northwind" with a Cyrillic о, reads as the same company to a person
 * and must match it.
 * NOTE: Unicode's confusables list has more, such as Armenian and Cherokee letters,
 * which still give keys of their own.
 */
const LOOKALIKE_LETTERS =
  // Cyrillic capitals, then small letters.
  '\u0410\u0412\u0415\u041A\u041C\u041D\u041E\u0420\u0421\u0422\u0423\u0425\u0405\u0406\u0408\u0500\u051A\u051C' +
  '\u0430\u0435\u043E\u0440\u0441\u0443\u0445\u0455\u0456\u0458\u04BB\u0501\u04CF\u051B\u051D\u0475' +
  // Greek capitals, then small letters.
  '\u0391\u0392\u0395\u0396\u0397\u0399\u039A\u039C\u039D\u039F\u03A1\u03A4\u03A5\u03A7' +
  '\u03BF\u03B1\u03B9\u03BD\u03C1\u03C5\u03C7\u03B3';
/** The Latin letter each of `LOOKALIKE_LETTERS` resembles, in the same order. */
const LATIN_LETTERS =
  'ABEKMHOPCTYXSIJDQW' + 'aeopcyxsijhdlqwv' + 'ABEZHIKMNOPTYX' + 'oaivpuxy';
const LOOKALIKE_PATTERN = new RegExp(`[${LOOKALIKE_LETTERS}]`, 'g');

/**
 * Returns the matching key: the normalised words joined without spaces, so
 * "A.B.C. Corp" and "A B C" both give `abc`, with Cyrillic and Greek look-alikes
 * read as the Latin letters they resemble. Empty when the name has no letters
 * or digits.
 */
export function companyNameKey(name: string): string {
  const latin = name
    .normalize('NFKD')
    .replace(
      LOOKALIKE_PATTERN,
      (letter) => LATIN_LETTERS[LOOKALIKE_LETTERS.indexOf(letter)] ?? letter,
    );
  return companyNameWords(latin).join('');
}
