import type { AnyDetector } from '../registry-types.js';
import { authBadOrigin } from './auth-bad-origin.js';
import { authBruteForce } from './auth-brute-force.js';
import { authNewPrincipal } from './auth-new-principal.js';
import { authPrivEsc } from './auth-priv-esc.js';
import { authSessionHijack } from './auth-session-hijack.js';
import { authTokenAudience } from './auth-token-audience.js';
import { authUnauthenticated } from './auth-unauthenticated.js';

/** The auth detectors, in catalogue order (docs/detectors.md). */
export const authDetectors: readonly AnyDetector[] = [
  authBruteForce,
  authPrivEsc,
  authTokenAudience,
  authSessionHijack,
  authUnauthenticated,
  authBadOrigin,
  authNewPrincipal,
];
