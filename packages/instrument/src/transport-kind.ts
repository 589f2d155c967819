/**
 * Which MCP transport a server is connected through (the contract's `transport` field). The SDK's
 * class names identify them; the structural fallbacks survive bundlers that rename classes.
 */
export type TransportKind = 'stdio' | 'streamable-http' | 'sse';

const BY_CLASS_NAME: Record<string, TransportKind> = {
  StdioServerTransport: 'stdio',
  StreamableHTTPServerTransport: 'streamable-http',
  WebStandardStreamableHTTPServerTransport: 'streamable-http',
  SSEServerTransport: 'sse',
};

export function detectTransportKind(transport: object): TransportKind | undefined {
  const byName = BY_CLASS_NAME[transport.constructor?.name ?? ''];
  if (byName) return byName;
  const shape = transport as Record<string, unknown>;
  if ('_stdin' in shape && '_stdout' in shape) return 'stdio';
  if (typeof shape.handlePostMessage === 'function') return 'sse';
  if (typeof shape.handleRequest === 'function') return 'streamable-http';
  return undefined;
}
