/**
 * What a value is made of, counted in one pass over its characters: the detectors' `quick` gates read
 * these numbers instead of each scanning the value again. A gate must only reject values its patterns
 * cannot match (a property test holds every detector to that), so each field is a necessary condition
 * some pattern family shares: a card number needs a run of ≥ 12 digits joined by single spaces or
 * dashes, a phone number ≥ 7 digits among phone punctuation, an IPv4 address a dotted run, and so on.
 */
export interface ValueShape {
  readonly length: number;
  /** ASCII digits, upper- and lower-case letters, and characters above U+007F. */
  readonly digits: number;
  readonly upper: number;
  readonly lower: number;
  readonly nonAscii: number;
  readonly spaces: number;
  readonly at: number;
  readonly colons: number;
  readonly dots: number;
  readonly dashes: number;
  readonly equals: number;
  /** Longest run of digits only. */
  readonly digitRun: number;
  /** Most digits in a run of digits joined by single spaces or dashes (`4111 1111-1111 1111`). */
  readonly groupedDigits: number;
  /** Most digits in a run of phone characters: digits, space, `-`, `.`, `(`, `)`, `+`, no-break space. */
  readonly phoneDigits: number;
  /** Most dots in a run of digits and dots (`10.0.0.1` has 3). */
  readonly dottedDots: number;
  /** Most dots in a run of hex digits and dots (`0a1b.2c3d.4e5f` has 2). */
  readonly hexDots: number;
  /** Longest run of ASCII letters and digits. */
  readonly alnumRun: number;
  /** Longest run of base64 characters: letters, digits, `+` and `/`. */
  readonly base64Run: number;
  /** Two ASCII upper-case letters side by side. */
  readonly upperPair: boolean;
  /** An ASCII upper-case letter followed by a lower-case one (a capitalised word). */
  readonly capitalised: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

let lastText: string | undefined;
/** One shape object, rewritten for each new value: millions of values, no allocation each. */
const current: Mutable<ValueShape> = {
  length: 0,
  digits: 0,
  upper: 0,
  lower: 0,
  nonAscii: 0,
  spaces: 0,
  at: 0,
  colons: 0,
  dots: 0,
  dashes: 0,
  equals: 0,
  digitRun: 0,
  groupedDigits: 0,
  phoneDigits: 0,
  dottedDots: 0,
  hexDots: 0,
  alnumRun: 0,
  base64Run: 0,
  upperPair: false,
  capitalised: false,
};

/**
 * The shape of `text`, remembered for the last value: the engine runs every detector on one value in
 * turn, so the count is made once per value. The object returned is valid until the next call with
 * another value; read what you need from it at once.
 */
export function shapeOf(text: string): ValueShape {
  if (text !== lastText) {
    measure(text, current);
    lastText = text;
  }
  return current;
}

const DIGIT = 1;
const UPPER = 2;
const LOWER = 4;
/** Joins digit groups: space and dash. */
const JOIN = 8;
/** Punctuation inside phone numbers. */
const PHONE = 16;
const WIDE = 32;
const HEX = 64;

/** Character classes of ASCII, one table look-up per character instead of a chain of comparisons. */
const CLASSES = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASSES[c] = DIGIT;
for (let c = 65; c <= 90; c++) CLASSES[c] = UPPER;
for (let c = 97; c <= 122; c++) CLASSES[c] = LOWER;
for (const c of '0123456789abcdefABCDEF') CLASSES[c.charCodeAt(0)]! |= HEX;
for (const c of ' -') CLASSES[c.charCodeAt(0)]! |= JOIN;
for (const c of ' -.()+') CLASSES[c.charCodeAt(0)]! |= PHONE;

function measure(text: string, shape: Mutable<ValueShape>): void {
  let digits = 0;
  let upper = 0;
  let lower = 0;
  let nonAscii = 0;
  let spaces = 0;
  let at = 0;
  let colons = 0;
  let dots = 0;
  let dashes = 0;
  let equals = 0;
  let digitRun = 0;
  let groupedDigits = 0;
  let phoneDigits = 0;
  let dottedDots = 0;
  let hexDots = 0;
  let alnumRun = 0;
  let base64Run = 0;
  let upperPair = false;
  let capitalised = false;
  // Current runs; a run's maximum is taken when it ends, and once more after the loop.
  let run = 0; // digits only
  let grouped = 0; // digits joined by single spaces or dashes
  let phone = 0; // digits among phone punctuation
  let dotted = 0; // dots among digits
  let hexDotted = 0; // dots among hex digits
  let alnum = 0;
  let base64 = 0;
  let previousDigit = false;
  let previousUpper = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const k = c < 128 ? CLASSES[c]! : c === 0xa0 ? PHONE | WIDE : WIDE;
    if (k & DIGIT) {
      digits++;
      run++;
      grouped++;
      phone++;
      alnum++;
      base64++;
      previousDigit = true;
      previousUpper = false;
      continue;
    }
    if (run > digitRun) digitRun = run;
    run = 0;
    if (k & (UPPER | LOWER)) {
      alnum++;
      base64++;
      if (k & UPPER) {
        upper++;
        if (previousUpper) upperPair = true;
        previousUpper = true;
      } else {
        lower++;
        if (previousUpper) capitalised = true;
        previousUpper = false;
      }
      if (grouped > groupedDigits) groupedDigits = grouped;
      grouped = 0;
      if (phone > phoneDigits) phoneDigits = phone;
      phone = 0;
      dotted = 0;
      if (!(k & HEX)) hexDotted = 0;
      previousDigit = false;
      continue;
    }
    if (alnum > alnumRun) alnumRun = alnum;
    alnum = 0;
    if (c === 43 || c === 47) base64++;
    else {
      if (base64 > base64Run) base64Run = base64;
      base64 = 0;
    }
    previousUpper = false;
    // Grouped digits continue over one space or dash right after a digit.
    if (!(k & JOIN && previousDigit)) {
      if (grouped > groupedDigits) groupedDigits = grouped;
      grouped = 0;
    }
    if (!(k & PHONE)) {
      if (phone > phoneDigits) phoneDigits = phone;
      phone = 0;
    }
    if (c === 46) {
      dots++;
      dotted++;
      if (dotted > dottedDots) dottedDots = dotted;
      hexDotted++;
      if (hexDotted > hexDots) hexDots = hexDotted;
    } else {
      dotted = 0;
      hexDotted = 0;
      if (k & WIDE) nonAscii++;
      else if (c === 32) spaces++;
      else if (c === 58) colons++;
      else if (c === 45) dashes++;
      else if (c === 64) at++;
      else if (c === 61) equals++;
    }
    previousDigit = false;
  }
  if (run > digitRun) digitRun = run;
  if (grouped > groupedDigits) groupedDigits = grouped;
  if (phone > phoneDigits) phoneDigits = phone;
  if (alnum > alnumRun) alnumRun = alnum;
  if (base64 > base64Run) base64Run = base64;
  shape.length = text.length;
  shape.digits = digits;
  shape.upper = upper;
  shape.lower = lower;
  shape.nonAscii = nonAscii;
  shape.spaces = spaces;
  shape.at = at;
  shape.colons = colons;
  shape.dots = dots;
  shape.dashes = dashes;
  shape.equals = equals;
  shape.digitRun = digitRun;
  shape.groupedDigits = groupedDigits;
  shape.phoneDigits = phoneDigits;
  shape.dottedDots = dottedDots;
  shape.hexDots = hexDots;
  shape.alnumRun = alnumRun;
  shape.base64Run = base64Run;
  shape.upperPair = upperPair;
  shape.capitalised = capitalised;
}
