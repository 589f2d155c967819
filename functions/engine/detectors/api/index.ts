import type { AnyDetector } from '../registry-types.js';
import { apiInjection } from './api-injection.js';
import { apiLoop } from './api-loop.js';
import { apiPromptInjection } from './api-prompt-injection.js';
import { apiProtocolAbuse } from './api-protocol-abuse.js';
import { apiRate } from './api-rate.js';
import { apiSecretLeak } from './api-secret-leak.js';
import { apiSsrf } from './api-ssrf.js';

/** The api detectors, in catalogue order (docs/detectors.md). */
export const apiDetectors: readonly AnyDetector[] = [
  apiInjection,
  apiSsrf,
  apiRate,
  apiLoop,
  apiProtocolAbuse,
  apiSecretLeak,
  apiPromptInjection,
];
