import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Reads the PEM from the key file or the inline variable and checks that it is an
 * unencrypted RSA key that RS256 can sign with. Pushes a problem naming the
 * variable, never the key, and returns undefined when it is not.
 */
export function readPrivateKey(
  file: string | undefined,
  inline: string | undefined,
  problems: string[],
): string | undefined {
  if (file && inline) {
    problems.push(
      'COSELL_SF_PRIVATE_KEY_FILE and COSELL_SF_PRIVATE_KEY are both set: set only one',
    );
    return undefined;
  }
  if (!file && !inline) {
    problems.push(
      'COSELL_SF_PRIVATE_KEY_FILE is missing: set it to the PEM file of the private key whose certificate the connected app holds (or put the PEM itself in COSELL_SF_PRIVATE_KEY)',
    );
    return undefined;
  }
  let pem: string;
  if (file) {
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(
        `COSELL_SF_PRIVATE_KEY_FILE=${JSON.stringify(file)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path and its permissions`,
      );
      return undefined;
    }
  } else {
    // Environments often keep a PEM on one line with literal \n sequences.
    pem = (inline ?? '').replace(/\\n/g, '\n');
  }
  if (!/-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    const name = file
      ? `COSELL_SF_PRIVATE_KEY_FILE=${JSON.stringify(file)}`
      : 'COSELL_SF_PRIVATE_KEY=(hidden)';
    problems.push(
      `${name}: is not a PEM private key; it must contain a "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----" block`,
    );
    return undefined;
  }
  if (pem.includes('BEGIN ENCRYPTED PRIVATE KEY')) {
    const name = file ? 'COSELL_SF_PRIVATE_KEY_FILE' : 'COSELL_SF_PRIVATE_KEY';
    problems.push(
      `${name}: the key is encrypted; give an unencrypted key (openssl pkcs8 -topk8 -nocrypt) kept in a secret store`,
    );
    return undefined;
  }
  const unusable = unusableKeyReason(pem);
  if (unusable) {
    const name = file
      ? `COSELL_SF_PRIVATE_KEY_FILE=${JSON.stringify(file)}`
      : 'COSELL_SF_PRIVATE_KEY=(hidden)';
    problems.push(`${name}: ${unusable}`);
    return undefined;
  }
  return pem;
}

/** The smallest RSA modulus that jose 6 signs RS256 with. */
const MIN_RSA_BITS = 2048;

/**
 * Returns why the PEM cannot sign the JWT bearer assertion, or undefined. The
 * OpenSSL reason in the message names the decoder step, never the key.
 */
function unusableKeyReason(pem: string): string | undefined {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    return (
      `the PEM block has a private key header, but its body cannot be decoded (${(error as Error).message}); ` +
      'the key was probably cut short or changed when it was copied, so copy the whole key again from its source'
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return (
      `holds a key of type ${key.asymmetricKeyType ?? 'unknown'}, but the JWT bearer flow signs with RS256, which needs an RSA key; ` +
      `create one with openssl genrsa -out cosell-integration.key ${MIN_RSA_BITS} and give its certificate to the connected app`
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    return (
      `holds a ${bits}-bit RSA key, but RS256 needs at least ${MIN_RSA_BITS} bits; ` +
      `create one with openssl genrsa -out cosell-integration.key ${MIN_RSA_BITS} and give its certificate to the connected app`
    );
  }
  return undefined;
}
