/**
 * The example server over Streamable HTTP on loopback, the way a production MCP endpoint is
 * assembled: mcp-watchtower's HTTP logger first, DNS-rebinding guard, an optional rate limiter,
 * the SDK's requireBearerAuth (with a fake token verifier), then one instrumented McpServer per
 * session. `startHttpExample({ port: 0 })` is what the tests use.
 *
 *   npx tsx examples/instrumented-server/http-server.ts 3000
 */
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { instrument, mcpHttpLogger, originGuard, type LineWriter } from '../../packages/instrument/src/index.js';
import { createExampleServer, EXAMPLE_SERVER_INFO } from './server.js';

export const EXAMPLE_ISSUER = 'https://auth.example.test';
export const REQUIRED_SCOPE = 'mcp:use';

/** Fake bearer tokens the example's verifier accepts (assembled at runtime, never real secrets). */
export const EXAMPLE_TOKENS = {
  /** user-42, may use the server. */
  alice: 'example-token-' + 'alice-7f3a9c',
  /** user-77, authenticated but lacks the mcp:use scope → 403 insufficient_scope. */
  bob: 'example-token-' + 'bob-readonly-41d2',
} as const;

const ACCOUNTS: Record<string, { sub: string; clientId: string; scopes: string[] }> = {
  [EXAMPLE_TOKENS.alice]: {
    sub: 'user-42',
    clientId: 'example-client',
    scopes: [REQUIRED_SCOPE, 'files:read', 'mail:send'],
  },
  [EXAMPLE_TOKENS.bob]: { sub: 'user-77', clientId: 'example-client', scopes: ['files:read'] },
};

export interface HttpExampleOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where both the HTTP logger and the instrumented servers write their lines (default stderr). */
  write?: LineWriter;
  /** Browser origins allowed to call the endpoint; requests without Origin always pass. */
  allowedOrigins?: string[];
  /** Fixed-window limit per client IP; unset disables rate limiting. */
  rateLimit?: { max: number; windowMs: number };
}

export interface RunningHttpExample {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp */
  url: string;
  close(): Promise<void>;
}

function fixedWindowRateLimiter(limit: { max: number; windowMs: number }) {
  const windows = new Map<string, { start: number; count: number }>();
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = req.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    const window = windows.get(key);
    if (!window || now - window.start >= limit.windowMs) {
      windows.set(key, { start: now, count: 1 });
      next();
      return;
    }
    window.count++;
    if (window.count <= limit.max) {
      next();
      return;
    }
    res.setHeader('Retry-After', Math.ceil((window.start + limit.windowMs - now) / 1000).toString());
    res.status(429).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Too many requests' }, id: null });
  };
}

export async function startHttpExample(options: HttpExampleOptions = {}): Promise<RunningHttpExample> {
  const host = options.host ?? '127.0.0.1';
  // Known once the server listens; tokens are issued for this resource (RFC 8707 audience).
  const resource: { url?: URL } = {};

  const verifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const account = ACCOUNTS[token];
      if (!account) throw new InvalidTokenError('Unknown or revoked token');
      return {
        token,
        clientId: account.clientId,
        scopes: account.scopes,
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        resource: resource.url,
        extra: { sub: account.sub, iss: EXAMPLE_ISSUER },
      };
    },
  };

  const transports = new Map<string, StreamableHTTPServerTransport>();
  const app = express();
  // Order matters: the logger must see every response, including the 401/403 of the auth step.
  app.use(
    '/mcp',
    mcpHttpLogger({
      write: options.write,
      serverName: EXAMPLE_SERVER_INFO.name,
      serverVersion: EXAMPLE_SERVER_INFO.version,
    }),
  );
  app.use(
    '/mcp',
    originGuard({ allowedOrigins: options.allowedOrigins ?? [], allowedHosts: ['127.0.0.1', 'localhost'] }),
  );
  if (options.rateLimit) app.use('/mcp', fixedWindowRateLimiter(options.rateLimit));
  app.use('/mcp', requireBearerAuth({ verifier, requiredScopes: [REQUIRED_SCOPE] }));
  app.use('/mcp', express.json());

  app.all('/mcp', async (req: Request, res: Response) => {
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId !== undefined || req.method !== 'POST' || !isInitializeRequest(req.body)) {
        // What the SDK's transport answers for a session it does not know.
        res
          .status(404)
          .json({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          transports.set(id, created);
        },
      });
      created.onclose = () => {
        if (created.sessionId) transports.delete(created.sessionId);
      };
      const server = createExampleServer();
      instrument(server, { write: options.write });
      await server.connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, req.body);
  });

  const httpServer = await new Promise<HttpServer>((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${host}:${port}/mcp`;
  resource.url = new URL(url);

  return {
    url,
    async close() {
      await Promise.allSettled([...transports.values()].map((transport) => transport.close()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startHttpExample({ port: Number(process.argv[2] ?? 3000) }).then(
    ({ url }) => process.stderr.write(`example MCP endpoint on ${url} (token: ${EXAMPLE_TOKENS.alice})\n`),
    (error: unknown) => {
      process.stderr.write(`http example failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
