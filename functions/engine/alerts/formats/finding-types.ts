/**
 * Our categories and detectors in the vocabularies of Security Hub (ASFF `Types`,
 * `namespace/category/classifier`, namespaces and categories from the ASFF types taxonomy) and
 * of OCSF (`finding_info.types`, free text). A detector without an entry gets its category's.
 */
import type { Category } from '../../detectors/detector.js';

/** ASFF namespace/category per category of ours. */
const BY_CATEGORY: Readonly<Record<Category, string>> = {
  auth: 'TTPs/Credential Access',
  api: 'TTPs/Execution',
  resource: 'Unusual Behaviors/Application',
  config: 'Software and Configuration Checks/Vulnerabilities',
  agent: 'Unusual Behaviors/Application',
  compliance: 'Software and Configuration Checks/Industry and Regulatory Standards',
};

/** Where a detector's incident fits better than its category's default. */
const BY_DETECTOR: Readonly<Record<string, string>> = {
  'AUTH-PRIV-ESC': 'TTPs/Privilege Escalation',
  'AUTH-NEW-PRINCIPAL': 'Unusual Behaviors/User',
  'AUTH-UNAUTHENTICATED': 'TTPs/Initial Access',
  'AUTH-BAD-ORIGIN': 'TTPs/Initial Access',
  'API-SECRET-LEAK': 'Sensitive Data Identifications/Passwords',
  'API-SSRF': 'TTPs/Discovery',
  'API-RATE': 'Unusual Behaviors/Application',
  'API-LOOP': 'Effects/Resource Consumption',
  'API-PROTOCOL-ABUSE': 'TTPs/Defense Evasion',
  'RES-BULK-READ': 'TTPs/Collection',
  'RES-SATURATION': 'Effects/Denial of Service',
  'CFG-SERVER-CHANGE': 'Software and Configuration Checks/Changes',
  'CFG-TOOL-POISONING': 'TTPs/Persistence',
  'CFG-TOOL-SHADOWING': 'TTPs/Defense Evasion',
  'AGT-EXFIL-ENCODING': 'Effects/Data Exfiltration',
  'AGT-TOXIC-FLOW': 'Effects/Data Exfiltration',
  'AGT-CREDENTIAL-ACCESS': 'TTPs/Credential Access',
};

/** ASFF namespaces Security Hub accepts as the first part of a type. */
export const ASFF_NAMESPACES = [
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
] as const;

/** `namespace/category/classifier`: the classifier is the detector id. */
export function asffType(detector: string, category: Category | string): string {
  const base = BY_DETECTOR[detector] ?? BY_CATEGORY[category as Category] ?? 'Unusual Behaviors/Application';
  return `${base}/${detector.replace(/\//g, '-').slice(0, 100)}`;
}
