import { describe, expect, it } from 'vitest';
import {
  PiiTally,
  findPii,
  isCardNumber,
  isIban,
  luhnValid,
  piiKindBit,
} from '../../../functions/engine/text/pii.js';

/** Appends the Luhn check digit: card numbers are built at runtime, never stored whole in the repo. */
function withCheckDigit(prefix: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(prefix + d)) return prefix + d;
  throw new Error('unreachable');
}

/** The same number with its last digit changed: fails Luhn. */
function withWrongCheckDigit(prefix: string): string {
  const good = withCheckDigit(prefix);
  return prefix + ((Number(good.slice(-1)) + 1) % 10);
}

const VISA = withCheckDigit('453914880343646'); // 16 digits
const MASTERCARD = withCheckDigit('535522001234567');
const AMEX = withCheckDigit('34987654321098'); // 15 digits

describe('findPii: card numbers', () => {
  it('finds Luhn-valid numbers of real issuers, contiguous or grouped with spaces/dashes', () => {
    expect(findPii(`card ${VISA} exp 12/29`)).toEqual([{ kind: 'card-number', count: 1 }]);
    const grouped = `${MASTERCARD.slice(0, 4)} ${MASTERCARD.slice(4, 8)} ${MASTERCARD.slice(8, 12)} ${MASTERCARD.slice(12)}`;
    const dashed = `${AMEX.slice(0, 4)}-${AMEX.slice(4, 10)}-${AMEX.slice(10)}`;
    expect(findPii(`mc ${grouped}; amex ${dashed}.`)).toEqual([{ kind: 'card-number', count: 2 }]);
    // A short number right after the groups ("… 6467 123") is not allowed to hide the card.
    expect(
      findPii(`${VISA.slice(0, 4)} ${VISA.slice(4, 8)} ${VISA.slice(8, 12)} ${VISA.slice(12)} 123`),
    ).toEqual([{ kind: 'card-number', count: 1 }]);
  });

  it('near miss: 16-digit order ids and phone-like numbers failing Luhn', () => {
    expect(findPii(`order ${withWrongCheckDigit('453914880343646')} shipped`)).toEqual([]);
    expect(findPii(`call +1 ${withWrongCheckDigit('555012345678901')}`)).toEqual([]);
  });

  it('near miss: timestamps, ISBNs, decimals and numbers of no card issuer', () => {
    expect(findPii('at 1732442400000 (epoch ms) and 1732442400000123 µs')).toEqual([]);
    expect(findPii('ISBN 978-3-16-148410-0, ISBN-13 9783161484100')).toEqual([]);
    expect(findPii(`ratio 0.${VISA} and ${VISA}.5 units`)).toEqual([]);
    // Luhn-valid but issuer prefix 9 / 1: not a card network.
    expect(findPii(`${withCheckDigit('912345678901234')} ${withCheckDigit('123456789012345')}`)).toEqual([]);
    // Part of a longer identifier.
    expect(findPii(`id=A${VISA} ref ${VISA}-2`)).toEqual([]);
  });

  it('near miss: well-known test numbers and dummy patterns carry no cardholder data', () => {
    const test = ['4111', '1111', '1111', '1111'].join(' ');
    expect(findPii(`use ${test} or ${'4242'.repeat(4)} in sandbox`)).toEqual([]);
    expect(isCardNumber(test)).toBe(false);
    expect(isCardNumber(test, true)).toBe(true);
    // Ascending sequence with a valid-looking prefix.
    expect(isCardNumber('4567890123456789', true)).toBe(luhnValid('4567890123456789'));
    expect(isCardNumber('4567890123456789')).toBe(false);
  });
});

describe('findPii: national ids', () => {
  it('US SSNs follow area/group/serial rules', () => {
    expect(findPii('SSN 536-22-1234 on file')).toEqual([{ kind: 'us-ssn', count: 1 }]);
    // 000/666/9xx areas, 00 group, 0000 serial, advertising numbers: never issued.
    expect(
      findPii('000-12-1234 666-12-1234 912-12-1234 536-00-1234 536-22-0000 078-05-1120 123-45-6789'),
    ).toEqual([]);
  });

  it('near miss: dates and phone numbers are not SSNs', () => {
    expect(findPii('on 2026-11-24, call 555-123-4567 or 536 22 1234')).toEqual([]);
  });

  it('UK National Insurance numbers with allocated prefixes', () => {
    expect(findPii('NINO: AB 12 34 56 C, also CE123456D')).toEqual([{ kind: 'uk-nino', count: 2 }]);
    // D/F/I/Q/U/V first letters, O second, unallocated prefixes, suffix beyond D, lower case.
    expect(findPii('QQ123456C DA123456A AO123456A GB123456A ZZ123456A AB123456E ab123456c')).toEqual([]);
  });

  it('IBANs need the country length and the mod-97 check', () => {
    expect(findPii('pay to GB82 WEST 1234 5698 7654 32 or DE89370400440532013000')).toEqual([
      { kind: 'iban', count: 2 },
    ]);
    expect(isIban('GB82WEST12345698765433')).toBe(false); // check digits off by one
    expect(isIban('GB82WEST123456987654')).toBe(false); // wrong length for GB
    expect(findPii('part number XY12ABCD1234567890')).toEqual([]);
  });
});

describe('findPii: email addresses', () => {
  it('counts distinct addresses, case-insensitively', () => {
    expect(findPii('a@corp.io, A@Corp.io, b.c+tag@mail.corp.io. Write to d@x.co.uk!')).toEqual([
      { kind: 'email', count: 3 },
    ]);
  });

  it('near miss: handles, hosts without a domain and broken addresses', () => {
    expect(findPii('ping @alice, root@localhost, x@y, a@.com, a@b..com, @@')).toEqual([]);
  });

  it('a tally can skip emails of addressing fields but still count numbers there', () => {
    const tally = new PiiTally();
    expect(tally.scan('alice@corp.io, bob@corp.io', { emails: false })).toBe(0);
    expect(tally.scan(`carol@corp.io ${VISA}`, { emails: false })).toBe(piiKindBit('card-number'));
    expect(tally.results()).toEqual([{ kind: 'card-number', count: 1 }]);
  });

  it('scan returns the kinds found in that text; emails only when new to the tally', () => {
    const tally = new PiiTally();
    expect(tally.scan('SSN 536-22-1234, mail a@corp.io')).toBe(piiKindBit('us-ssn') | piiKindBit('email'));
    expect(tally.scan('again a@corp.io')).toBe(0);
    expect(tally.results()).toEqual([
      { kind: 'us-ssn', count: 1 },
      { kind: 'email', count: 1 },
    ]);
  });

  it('stops at its character budget', () => {
    const tally = new PiiTally(2048);
    tally.scan('x'.repeat(2040) + ` ${VISA}`);
    expect(tally.results()).toEqual([]);
    expect(tally.scan(`${VISA}`)).toBe(0);
  });
});

describe('findPii: texts that cannot hold PII', () => {
  it('text without two adjacent digits and without an @ has none; either one is enough to look', () => {
    expect(findPii('Meeting notes: ship the onboarding flow, review Q3 and plan the offsite.'.repeat(20))).toEqual([]);
    expect(findPii(`${'no digits here '.repeat(20)}mail a@corp.io`)).toEqual([{ kind: 'email', count: 1 }]);
    expect(findPii(`${'no digits here '.repeat(20)}card ${VISA}`)).toEqual([{ kind: 'card-number', count: 1 }]);
    // Past the scan budget nothing is found, whatever comes there.
    expect(findPii(`${'x'.repeat(70_000)} ${VISA} a@corp.io`)).toEqual([]);
  });
});

describe('findPii: pathological input', () => {
  it('scans 100 KB adversarial strings in linear time', () => {
    const inputs = [
      '4'.repeat(100_000),
      '4111 '.repeat(20_000),
      '1-'.repeat(50_000),
      '123-45-'.repeat(15_000),
      'AB12 '.repeat(20_000),
      'GB82'.repeat(25_000),
      'a'.repeat(63).concat('@').repeat(1_600),
      '@'.repeat(100_000),
      'a.'.repeat(50_000) + '@' + 'b.'.repeat(50_000),
      `${VISA} `.repeat(6_000),
    ];
    for (const input of inputs) {
      const result = findPii(input);
      expect(Array.isArray(result)).toBe(true);
    }
    // The repeated card counts once per occurrence within the 64 KiB budget.
    expect(findPii(`${VISA} `.repeat(6_000))).toEqual([{ kind: 'card-number', count: 3855 }]);
  }, 2_000);
});
