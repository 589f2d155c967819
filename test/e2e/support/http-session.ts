/**
 * Real SDK Clients over Streamable HTTP against an instrumented endpoint: an authenticated
 * session, and a connection attempt with a bearer token the server rejects.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Implementation } from '@modelcontextprotocol/sdk/types.js';

export interface HttpSession {
  readonly client: Client;
  /** The Mcp-Session-Id the server assigned. */
  readonly sessionId: string;
  /** DELETEs the session (as a well-behaved client does) and closes the client. */
  end(): Promise<void>;
}

function transportFor(url: string, token: string, userAgent: string): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}`, 'User-Agent': userAgent } },
  });
}

export async function connectHttp(
  url: string,
  token: string,
  clientInfo: Implementation,
  userAgent: string,
): Promise<HttpSession> {
  const transport = transportFor(url, token, userAgent);
  const client = new Client(clientInfo);
  await client.connect(transport);
  const sessionId = transport.sessionId;
  if (sessionId === undefined) throw new Error('the server assigned no Mcp-Session-Id');
  return {
    client,
    sessionId,
    async end() {
      await transport.terminateSession();
      await client.close();
    },
  };
}

/** Tries to initialize with `token`; resolves with the error the client got (throws if it connected). */
export async function rejectedConnect(
  url: string,
  token: string,
  clientInfo: Implementation,
  userAgent: string,
): Promise<Error> {
  const client = new Client(clientInfo);
  try {
    await client.connect(transportFor(url, token, userAgent));
  } catch (error) {
    return error as Error;
  } finally {
    await client.close();
  }
  throw new Error('the server accepted a token it should have rejected');
}
