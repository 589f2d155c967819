import type { AnyDetector } from '../registry-types.js';
import { agtCredentialAccess } from './agt-credential-access.js';
import { agtElicitationFlood } from './agt-elicitation-flood.js';
import { agtExfilEncoding } from './agt-exfil-encoding.js';
import { agtToxicFlow } from './agt-toxic-flow.js';
import { agtUnusualTool } from './agt-unusual-tool.js';

/** The agent detectors, in catalogue order (../../../../docs/detectors.md). */
export const agentDetectors: readonly AnyDetector[] = [
  agtToxicFlow,
  agtCredentialAccess,
  agtExfilEncoding,
  agtUnusualTool,
  agtElicitationFlood,
];
