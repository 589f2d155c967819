import { keyPart } from '../../state/key-part.js';

/** The acting agent for per-agent history: the principal, else the client's name. */
export function agentIdentity(principal: string | undefined, clientName: string | undefined): string | undefined {
  if (principal !== undefined) return `principal:${keyPart(principal)}`;
  if (clientName !== undefined) return `client:${keyPart(clientName)}`;
  return undefined;
}
