/**
 * Personal data in free text: payment card numbers (Luhn + issuer prefix and length), US Social
 * Security numbers (area/group/serial rules), UK National Insurance numbers (prefix rules), IBANs
 * (country length + ISO 7064 mod-97) and email addresses. Candidates come from linear regexes
 * (bounded repetition, no nested quantifiers) and are kept only when their checks pass, so order
 * ids, timestamps, ISBNs and phone numbers that merely look like numbers do not count.
 *
 * Deliberately not counted: card numbers that are well-known test numbers or dummies (a run of 8+
 * identical digits, a plain ascending/descending sequence) — they carry no cardholder data; SSNs
 * never issued (000/666/9xx areas, 00 group, 0000 serial, advertising numbers); NINO prefixes that
 * are never allocated. Emails are counted as distinct addresses (case-insensitive).
 */

import { defineCatalogue } from './catalogue.js';

export type PiiKind = 'card-number' | 'us-ssn' | 'uk-nino' | 'iban' | 'email';
export const PII_KINDS: readonly PiiKind[] = ['card-number', 'us-ssn', 'uk-nino', 'iban', 'email'];

/** The bit of `kind` in the masks PiiTally.scan returns. */
export function piiKindBit(kind: PiiKind): number {
  return 1 << PII_KINDS.indexOf(kind);
}

export interface PiiCount {
  readonly kind: PiiKind;
  /** Matches that passed validation (emails: distinct addresses). */
  readonly count: number;
}

/** Characters scanned per tally (one call's arguments) or per findPii call. */
export const PII_SCAN_MAX_CHARS = 65_536;
const MAX_DISTINCT_EMAILS = 1024;

// ---- payment cards -------------------------------------------------------------------------

// Contiguous 13–19 digits, 4-4-4(-4)(-1..3) groups, or 4-6-4/5 (Amex, Diners). Not part of a
// word, a decimal fraction or a longer dash/dot-separated number.
const CARD_RE =
  /(?<![0-9A-Za-z.,-])(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{4,5})(?![0-9A-Za-z]|[.,-]\d)/g;

/** Published test numbers of card networks and payment processors that have no dummy pattern. */
const TEST_CARD_NUMBERS = new Set([
  '4242424242424242',
  '4012888888881881',
  '4000056655665556',
  '5105105105105100',
  '5200828282828210',
  '2223003122003222',
  '378282246310005',
  '371449635398431',
  '378734493671000',
  '6011000990139424',
  '3530111333300000',
  '3566002020360505',
  '30569309025904',
  '38520000023237',
  '6200000000000005',
  '36227206271667',
  '6011981111111113',
  '4917610000000000',
]);

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Whether the issuer prefix (IIN) and length fit a card network. */
function plausibleIssuer(d: string): boolean {
  const len = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  if (d[0] === '4') return len === 13 || len === 16 || len === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return len === 15; // Amex
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return len >= 16; // Discover
  if (p4 >= 3528 && p4 <= 3589) return len >= 16; // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return len >= 14; // Diners
  if (p2 === 62) return len >= 16; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 58) || p2 === 63 || p2 === 67) return len >= 13; // Maestro
  return false;
}

/** Dummy numbers: a run of 8+ identical digits, or a plain ascending/descending sequence. */
function looksDummy(d: string): boolean {
  let run = 1;
  let up = true;
  let down = true;
  for (let i = 1; i < d.length; i++) {
    const prev = d.charCodeAt(i - 1);
    const cur = d.charCodeAt(i);
    run = cur === prev ? run + 1 : 1;
    if (run >= 8) return true;
    if ((prev - 48 + 1) % 10 !== cur - 48) up = false;
    if ((cur - 48 + 1) % 10 !== prev - 48) down = false;
  }
  return up || down;
}

/** A grouped candidate may have swallowed a short number after the card ("… 6467 123"): retry without it. */
function isCardCandidate(candidate: string, includeTestNumbers: boolean): boolean {
  if (isCardNumber(candidate, includeTestNumbers)) return true;
  const cut = Math.max(candidate.lastIndexOf(' '), candidate.lastIndexOf('-'));
  return cut > 0 && isCardNumber(candidate.slice(0, cut), includeTestNumbers);
}

export function isCardNumber(candidate: string, includeTestNumbers = false): boolean {
  const d = candidate.replace(/[ -]/g, '');
  if (d.length < 13 || d.length > 19) return false;
  if (!plausibleIssuer(d) || !luhnValid(d)) return false;
  return includeTestNumbers || (!looksDummy(d) && !TEST_CARD_NUMBERS.has(d));
}

// ---- US SSN --------------------------------------------------------------------------------

// Dashed form only: nine bare digits are any id.
const SSN_RE = /(?<![0-9A-Za-z-])(\d{3})-(\d{2})-(\d{4})(?![0-9A-Za-z]|-\d)/g;
/** Numbers used in advertising or known to be invalid. */
const SSN_NOT_ISSUED = new Set(['078051120', '219099999', '123456789']);

export function isUsSsn(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  if (area === '987' && group === '65' && serial.startsWith('432')) return false; // advertising range
  return !SSN_NOT_ISSUED.has(area + group + serial);
}

// ---- UK National Insurance number ----------------------------------------------------------

// First letter not D F I Q U V; second not D F I O Q U V; suffix A–D. Upper case only.
const NINO_RE =
  /(?<![0-9A-Za-z])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![0-9A-Za-z])/g;
const NINO_NOT_ALLOCATED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

// ---- IBAN ----------------------------------------------------------------------------------

// Compact, or printed in groups of four separated by single spaces.
const IBAN_RE =
  /(?<![0-9A-Za-z])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![0-9A-Za-z])/g;

/** IBAN length per country (SWIFT IBAN registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

export function isIban(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '');
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  // ISO 7064 mod 97-10 over the rearranged string, letters as 10..35, folded digit by digit.
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else rem = (rem * 100 + (c - 55)) % 97;
  }
  return rem === 1;
}

// ---- email ---------------------------------------------------------------------------------

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLocalChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 46 ||
    c === 95 ||
    c === 37 ||
    c === 43 ||
    c === 45
  );
}

function isDomainChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

/**
 * The address around the '@' at `at`, lower-cased, or undefined. A hand-written scan instead of a
 * regex: each character is looked at by at most the '@' before and the '@' after it.
 */
function emailAt(text: string, at: number): string | undefined {
  let start = at;
  while (start > 0 && at - start < MAX_LOCAL && isLocalChar(text.charCodeAt(start - 1))) start--;
  while (start < at && text.charCodeAt(start) === 46) start++; // no leading dot
  if (start === at) return undefined;
  let end = at + 1;
  while (end < text.length && end - at - 1 < MAX_DOMAIN && isDomainChar(text.charCodeAt(end))) end++;
  while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--; // sentence dot
  const domain = text.slice(at + 1, end);
  const lastDot = domain.lastIndexOf('.');
  if (lastDot <= 0 || domain.includes('..')) return undefined;
  const tld = domain.slice(lastDot + 1);
  if (!/^[A-Za-z]{2,24}$/.test(tld)) return undefined;
  return `${text.slice(start, at)}@${domain}`.toLowerCase();
}

// ---- tally ---------------------------------------------------------------------------------

export interface PiiScanOptions {
  /** Count email addresses in this text (false for addressing fields such as `to`). @default true */
  readonly emails?: boolean;
}

/** Accumulates PII over several texts (the string leaves of one call's arguments), within a budget. */
export class PiiTally {
  private readonly counts: Record<Exclude<PiiKind, 'email'>, number> = {
    'card-number': 0,
    'us-ssn': 0,
    'uk-nino': 0,
    iban: 0,
  };
  private readonly emails = new Set<string>();
  private budget: number;

  constructor(
    budgetChars = PII_SCAN_MAX_CHARS,
    private readonly includeTestCards = false,
  ) {
    this.budget = budgetChars;
  }

  /**
   * Scans `text` (cut to the remaining budget). Returns the kinds found in it as a bit mask
   * (bit i = PII_KINDS[i]; see `piiKindBit`), 0 when none; emails count only when new.
   */
  scan(text: string, options: PiiScanOptions = {}): number {
    if (this.budget <= 0 || text.length === 0) return 0;
    const t = text.length > this.budget ? text.slice(0, this.budget) : text;
    this.budget -= t.length;
    let found = 0;
    if (hasDigitRun(t)) {
      found |= this.add(
        'card-number',
        countMatches(CARD_RE, t, (m) => isCardCandidate(m[0], this.includeTestCards)),
      );
      found |= this.add(
        'us-ssn',
        countMatches(SSN_RE, t, (m) => isUsSsn(m[1] as string, m[2] as string, m[3] as string)),
      );
      found |= this.add(
        'uk-nino',
        countMatches(NINO_RE, t, (m) => !NINO_NOT_ALLOCATED.has(m[1] as string)),
      );
      found |= this.add(
        'iban',
        countMatches(IBAN_RE, t, (m) => isIban(m[0])),
      );
    }
    if (options.emails !== false) {
      const before = this.emails.size;
      for (let at = t.indexOf('@'); at !== -1; at = t.indexOf('@', at + 1)) {
        if (this.emails.size >= MAX_DISTINCT_EMAILS) break;
        const email = emailAt(t, at);
        if (email !== undefined) this.emails.add(email);
      }
      if (this.emails.size > before) found |= piiKindBit('email');
    }
    return found;
  }

  count(kind: PiiKind): number {
    return kind === 'email' ? this.emails.size : this.counts[kind];
  }

  /** Kinds found, in PII_KINDS order. */
  results(): PiiCount[] {
    const out: PiiCount[] = [];
    for (const kind of PII_KINDS) {
      const count = this.count(kind);
      if (count > 0) out.push({ kind, count });
    }
    return out;
  }

  private add(kind: Exclude<PiiKind, 'email'>, n: number): number {
    this.counts[kind] += n;
    return n > 0 ? piiKindBit(kind) : 0;
  }
}

/** Every number-shaped kind needs at least two adjacent digits. */
const DIGIT_RUN = /\d\d/;
function hasDigitRun(text: string): boolean {
  return DIGIT_RUN.test(text);
}

function countMatches(re: RegExp, text: string, accept: (m: RegExpExecArray) => boolean): number {
  let n = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (accept(m)) n++;
    if (m[0].length === 0) re.lastIndex++;
  }
  return n;
}

/** PII kinds in `text` (first PII_SCAN_MAX_CHARS characters) with their counts. */
export function findPii(text: string): PiiCount[] {
  // Every kind needs two adjacent digits or an '@' (what PiiTally.scan checks first): most text has neither.
  if (text.length <= PII_SCAN_MAX_CHARS && text.indexOf('@') === -1 && !hasDigitRun(text)) return [];
  const tally = new PiiTally();
  tally.scan(text);
  return tally.results();
}

/** The PII kinds as a catalogue (examples run by the generic catalogue test). */
export const PII_CATALOGUE = defineCatalogue({
  name: 'pii',
  entries: [
    {
      id: 'card-number',
      description: 'Payment card numbers (13–19 digits, Luhn-valid, known issuer prefixes; test numbers excluded).',
      match: ['card 4111 1111 1111 1112 exp 12/29'.replace('1112', '1111').replace('4111 1111 1111 1111', '4539 1488 0343 6467')],
      nomatch: ['order 4539 1488 0343 6468', 'test card 4111 1111 1111 1111'],
    },
    {
      id: 'us-ssn',
      description: 'US social security numbers (AAA-GG-SSSS, issued ranges only).',
      match: ['SSN 536-22-8726'],
      nomatch: ['SSN 000-12-3456', 'call 555-12-34567'],
    },
    {
      id: 'uk-nino',
      description: 'UK National Insurance numbers (two letters, six digits, suffix A–D).',
      match: ['NI number AB 12 34 56 C'],
      nomatch: ['code GB 12 34 56 A'],
    },
    {
      id: 'iban',
      description: 'IBANs with a valid country length and mod-97 checksum.',
      match: ['IBAN DE89 3704 0044 0532 0130 00'],
      nomatch: ['IBAN DE89 3704 0044 0532 0130 01'],
    },
    {
      id: 'email',
      description: 'E-mail addresses.',
      match: ['write to jane.doe@example.org today'],
      nomatch: ['a@b', 'user@localhost'],
    },
  ],
  matches: (text) => new Set(findPii(text).map((c) => c.kind)),
});
