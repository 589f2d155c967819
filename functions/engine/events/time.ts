/**
 * Event times: the ISO-8601 form the v1 schema accepts, and the conversions from what log sources
 * actually write (epoch seconds/milliseconds, CLF `24/Nov/2026:10:00:00 +0000`, durations as
 * `"4ms"`). Pure: no clock is read here; every time comes from the input.
 */

/**
 * Exactly the pattern of zod 4's `z.iso.datetime({ offset: true })` (test/unit/events/canonical.test.ts
 * compares the two), so the fast check and the schema accept the same strings. Linear: fixed-width
 * alternatives and a single `\d+`.
 */
export const ISO_DATETIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

/** Longest time string looked at; real timestamps are under 40 characters. */
const MAX_TIME_CHARS = 64;
/** Smallest number read as an epoch time (1e8 s is 1973): smaller ones are counters, not times. */
const MIN_EPOCH = 1e8;
/** Dates JavaScript can represent (±8.64e15 ms). */
const MAX_EPOCH_MS = 8.64e15;

/** An event time: the ISO string the event carries and the same instant in epoch milliseconds. */
export interface EventTime {
  readonly iso: string;
  readonly ts: number;
}

/** Value of the two decimal digits at `i`, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), for any year. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Validates an ISO-8601 date-time exactly as ISO_DATETIME does (the tests compare the two) and
 * returns its epoch milliseconds, or NaN. A hand-written scan: several times faster than the regex
 * followed by Date.parse, and this runs for every event. Fractions beyond milliseconds are cut.
 */
export function parseIsoDateTime(s: string): number {
  const n = s.length;
  if (n < 20 || n > MAX_TIME_CHARS) return Number.NaN;
  const hi = twoDigits(s, 0);
  const lo = twoDigits(s, 2);
  if (hi < 0 || lo < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84)
    return Number.NaN;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN;
  const year = hi * 100 + lo;
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return Number.NaN;
  }
  const maxDay = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month] as number);
  if (day > maxDay) return Number.NaN;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46 /* . */) {
    i++;
    const start = i;
    while (i < n) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      if (i - start < 3) ms = ms * 10 + d;
      i++;
    }
    if (i === start) return Number.NaN;
    const digits = i - start;
    if (digits === 1) ms *= 100;
    else if (digits === 2) ms *= 10;
  }
  let offsetMinutes = 0;
  const zone = s.charCodeAt(i);
  if (zone === 90 /* Z */) {
    if (i + 1 !== n) return Number.NaN;
  } else if (zone === 43 /* + */ || zone === 45 /* - */) {
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return Number.NaN;
    const oh = twoDigits(s, i + 1);
    const om = twoDigits(s, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    offsetMinutes = (zone === 43 ? 1 : -1) * (oh * 60 + om);
  } else return Number.NaN;
  return (
    (daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60) *
      1000 +
    ms
  );
}

/**
 * parseIsoDateTime with a one-entry memo: an event's time is read when it is built (or its ts
 * computed) and again when it is validated, so the second read is a string comparison.
 */
export function isoTimestamp(value: string): number {
  if (value === lastIso) return lastIsoTs;
  const ts = parseIsoDateTime(value);
  lastIso = value;
  lastIsoTs = ts;
  return ts;
}

let lastIso: string | undefined;
let lastIsoTs = Number.NaN;

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** 10000-01-01T00:00:00Z: beyond it toISOString writes 6-digit years. */
const YEAR_10000_MS = 253_402_300_800_000;

/**
 * `new Date(ms).toISOString()` for integer ms in years 1970–9999, three times faster (H. Hinnant's
 * civil_from_days); other values take toISOString. This runs for every line timed by CloudWatch.
 */
export function isoFromEpochMs(ms: number): string {
  if (!(ms >= 0 && ms < YEAR_10000_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  return `${PAD2[Math.floor(year / 100)]}${PAD2[year % 100]}-${PAD2[month]}-${PAD2[day]}T${PAD2[hour]}:${PAD2[minute]}:${PAD2[second]}.${PAD3[milli]}Z`;
}

export function timeFromEpochMs(ms: number): EventTime | undefined {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_MS) return undefined;
  // Date keeps whole milliseconds (toward zero): ts must be what Date.parse(iso) reads back.
  const whole = Math.trunc(ms);
  const iso = isoFromEpochMs(whole);
  // The event built from this time is validated next: let that read hit the memo.
  lastIso = iso;
  lastIsoTs = whole;
  return { iso, ts: whole };
}

/**
 * Epoch numbers by magnitude: below 1e11 seconds, below 1e14 milliseconds, below 1e17
 * microseconds, else nanoseconds (1e11 s is the year 5138; 1e11 ms is 1973).
 */
export function epochToMs(value: number): number {
  const magnitude = Math.abs(value);
  if (magnitude < 1e11) return value * 1000;
  if (magnitude < 1e14) return value;
  if (magnitude < 1e17) return value / 1000;
  return value / 1e6;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** `YYYY-MM-DD[T ]HH:MM` at the start: the only non-canonical strings handed to Date.parse. */
function looksLikeDateTime(value: string): boolean {
  return (
    value.length >= 16 &&
    isDigit(value.charCodeAt(0)) &&
    isDigit(value.charCodeAt(3)) &&
    value.charCodeAt(4) === 45 &&
    value.charCodeAt(7) === 45 &&
    (value.charCodeAt(10) === 84 || value.charCodeAt(10) === 32) &&
    value.charCodeAt(13) === 58
  );
}

function isNumericString(value: string): boolean {
  if (value.length === 0 || value.length > 24) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!isDigit(c) && c !== 46 /* . */) return false;
  }
  return true;
}

/**
 * The time a log field holds: a canonical ISO string is kept verbatim; other date-time strings
 * (space separator, no zone = UTC, compact offsets) and epoch numbers or numeric strings are
 * converted to ISO. Anything else is `undefined`.
 */
export function timeOf(value: unknown): EventTime | undefined {
  if (typeof value === 'number') return value >= MIN_EPOCH ? timeFromEpochMs(epochToMs(value)) : undefined;
  if (typeof value !== 'string' || value.length > MAX_TIME_CHARS) return undefined;
  const isoTs = isoTimestamp(value);
  if (!Number.isNaN(isoTs)) return { iso: value, ts: isoTs };
  if (isNumericString(value)) {
    const epoch = Number(value);
    return epoch >= MIN_EPOCH ? timeFromEpochMs(epochToMs(epoch)) : undefined;
  }
  if (!looksLikeDateTime(value)) return undefined;
  // No zone means UTC for log timestamps (Date.parse would read it as local time).
  const hasZone = value.endsWith('Z') || value.endsWith('z') || /[+-]\d\d:?\d\d$/.test(value);
  const ts = Date.parse(hasZone ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`);
  return timeFromEpochMs(ts);
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

function digits(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return NaN;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** Common Log Format time, as API Gateway's `$context.requestTime`: `24/Nov/2026:10:00:00 +0000`. */
export function parseClfTime(value: string): EventTime | undefined {
  if (value.length !== 26 || value.charCodeAt(2) !== 47 || value.charCodeAt(6) !== 47) return undefined;
  const day = digits(value, 0, 2);
  const month = MONTHS[value.slice(3, 6)];
  const year = digits(value, 7, 4);
  const hour = digits(value, 12, 2);
  const minute = digits(value, 15, 2);
  const second = digits(value, 18, 2);
  const sign = value.charCodeAt(21) === 45 ? -1 : value.charCodeAt(21) === 43 ? 1 : 0;
  const offset = digits(value, 22, 2) * 60 + digits(value, 24, 2);
  if (month === undefined || sign === 0 || value.charCodeAt(11) !== 58 || value.charCodeAt(20) !== 32)
    return undefined;
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(year, month, day, hour, minute, second) - sign * offset * 60_000;
  return timeFromEpochMs(ms);
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
};

/**
 * A duration in milliseconds: a number is taken as milliseconds; a string is a number with an
 * optional unit (`4ms`, `1.5s`, `250us`, `12`). Negative or unreadable values are `undefined`.
 */
export function parseDurationMs(value: unknown): number | undefined {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && value.length > 0 && value.length <= 32) {
    let end = 0;
    while (end < value.length && (isDigit(value.charCodeAt(end)) || value.charCodeAt(end) === 46)) end++;
    if (end === 0) return undefined;
    const unit = value.slice(end).trim();
    const factor = unit === '' ? 1 : DURATION_UNITS_MS[unit];
    if (factor === undefined) return undefined;
    ms = Number(value.slice(0, end)) * factor;
  } else return undefined;
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms * 1000) / 1000 : undefined;
}
