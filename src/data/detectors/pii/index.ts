import type { Detector } from '../types.js';
import { creditCardRule } from './credit-card.js';
import { cryptoWalletRule } from './crypto-wallet.js';
import { dateOfBirthRule } from './date-of-birth.js';
import { emailRule } from './email.js';
import { ibanRule } from './iban.js';
import { ipAddressRule } from './ip-address.js';
import { macAddressRule } from './mac-address.js';
import { personNameDetector } from './person-name.js';
import { phoneRule } from './phone.js';
import { ruleDetector } from './rule.js';
import { streetAddressDetector } from './street-address.js';
import { ukNinoRule } from './uk-nino.js';
import { usPassportRule } from './us-passport.js';
import { usSsnRule } from './us-ssn.js';

/** The pattern-and-validator rules, as data (the two free-text detectors wrap theirs with column logic). */
export const piiRules = [
  emailRule,
  phoneRule,
  creditCardRule,
  ibanRule,
  usSsnRule,
  usPassportRule,
  ukNinoRule,
  ipAddressRule,
  macAddressRule,
  cryptoWalletRule,
  dateOfBirthRule,
] as const;

/** Every personal-data detector of `mlsecops data scan`. */
export const piiDetectors: readonly Detector[] = [
  ...piiRules.map(ruleDetector),
  personNameDetector,
  streetAddressDetector,
];

export { ContextWords, findContext, tokenize } from './context.js';
export { PHONE_DEFAULT_REGIONS } from './phone.js';
