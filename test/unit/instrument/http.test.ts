/**
 * Streamable HTTP on 127.0.0.1: the example endpoint (express 5 + mcpHttpLogger + originGuard +
 * the SDK's requireBearerAuth + instrumented McpServer per session) driven by the SDK client and
 * by raw requests, and a plain node:http stateless server wrapped with withMcpHttpLogging.
 */
import { request as httpRequest, createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  EXAMPLE_ISSUER,
  EXAMPLE_TOKENS,
  REQUIRED_SCOPE,
  startHttpExample,
  type RunningHttpExample,
} from '../../../examples/instrumented-server/http-server.js';
import { instrument, originGuard, withMcpHttpLogging } from '../../../packages/instrument/src/index.js';
import { expectedFp, lineSink, waitFor, type EventRecord, type LineSink } from './helpers.js';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'raw-http', version: '1' },
  },
};

function post(url: string, headers: Record<string, string>, body: unknown = INITIALIZE): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

/** node:http request, for headers fetch will not let us set (Host). */
function rawPost(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(INITIALIZE));
  });
}

/** Waits until the event that a just-finished response stands for has been written. */
async function lastEvent(sink: LineSink, count: number): Promise<EventRecord> {
  await waitFor(() => sink.lines.length >= count);
  const events = sink.events();
  expect(events).toHaveLength(count);
  return events[count - 1] as EventRecord;
}

describe('Streamable HTTP example (express + requireBearerAuth + instrument)', () => {
  let example: RunningHttpExample;
  const sink = lineSink();

  beforeAll(async () => {
    example = await startHttpExample({
      port: 0,
      write: sink.write,
      allowedOrigins: ['https://app.example.com'],
    });
  });
  afterAll(async () => {
    await example.close();
  });

  it('writes session, calls and DELETE with the source IP, principal and session id of the HTTP request', async () => {
    const before = sink.lines.length;
    const transport = new StreamableHTTPClientTransport(new URL(example.url), {
      requestInit: {
        headers: { Authorization: `Bearer ${EXAMPLE_TOKENS.alice}`, 'User-Agent': 'agent-under-test/1.0' },
      },
    });
    const client = new Client({ name: 'http-client', version: '2.0.0' });
    await client.connect(transport);
    await client.callTool({ name: 'read_file', arguments: { path: '~/.aws/credentials' } });
    const sessionId = transport.sessionId;
    await transport.terminateSession();
    await client.close();
    await waitFor(() => sink.lines.length >= before + 3);

    const events = sink.events().slice(before);
    expect(events.map((event) => event.event)).toEqual(['mcp.session', 'mcp.call', 'mcp.session']);
    const principal = {
      sub: 'user-42',
      clientId: 'example-client',
      scopes: [REQUIRED_SCOPE, 'files:read', 'mail:send'],
      tokenPresent: true,
      tokenFp: expectedFp(EXAMPLE_TOKENS.alice),
      iss: EXAMPLE_ISSUER,
      aud: example.url,
    };
    const host = new URL(example.url).host;
    expect(events[0]).toMatchObject({
      event: 'mcp.session',
      server: { name: 'example-files-mcp', version: '1.2.0' },
      transport: 'streamable-http',
      protocolVersion: LATEST_PROTOCOL_VERSION,
      session: sessionId,
      client: { name: 'http-client', version: '2.0.0', ip: '127.0.0.1', userAgent: 'agent-under-test/1.0' },
      principal,
      http: { method: 'POST', path: '/mcp', host },
      rpc: { id: 0, method: 'initialize' },
    });
    expect(events[1]).toMatchObject({
      event: 'mcp.call',
      transport: 'streamable-http',
      session: sessionId,
      client: { name: 'http-client', version: '2.0.0', ip: '127.0.0.1' },
      principal,
      http: { method: 'POST', path: '/mcp' },
      rpc: { id: 1, method: 'tools/call' },
      tool: 'read_file',
      arguments: { path: '~/.aws/credentials' },
      result: { isError: false, bytes: 135 },
    });
    expect(events[2]).toEqual({
      v: 1,
      event: 'mcp.session',
      time: expect.any(String),
      server: { name: 'example-files-mcp', version: '1.2.0' },
      transport: 'streamable-http',
      session: sessionId,
      client: { ip: '127.0.0.1', userAgent: 'agent-under-test/1.0' },
      principal,
      http: { method: 'DELETE', path: '/mcp', host, status: 200 },
      rpc: { method: 'DELETE' },
    });
    expect(sink.lines.join('\n')).not.toContain(EXAMPLE_TOKENS.alice);
  });

  it('writes mcp.auth failure for a 401 without a token (tokenPresent false)', async () => {
    const before = sink.lines.length;
    const response = await post(example.url, {});
    expect(response.status).toBe(401);
    const event = await lastEvent(sink, before + 1);
    expect(event).toEqual({
      v: 1,
      event: 'mcp.auth',
      time: expect.any(String),
      server: { name: 'example-files-mcp', version: '1.2.0' },
      transport: 'streamable-http',
      client: { ip: '127.0.0.1', userAgent: 'node' },
      principal: { tokenPresent: false },
      http: { method: 'POST', path: '/mcp', host: new URL(example.url).host, status: 401 },
      auth: { outcome: 'failure', reason: 'invalid_token' },
    });
  });

  it('writes mcp.auth failure with the token fingerprint for an unknown token', async () => {
    const before = sink.lines.length;
    const bogus = 'stolen-' + 'token-9f8e7d6c';
    expect((await post(example.url, { authorization: `Bearer ${bogus}` })).status).toBe(401);
    const event = await lastEvent(sink, before + 1);
    expect(event.auth).toEqual({ outcome: 'failure', reason: 'invalid_token' });
    expect(event.principal).toEqual({ tokenPresent: true, tokenFp: expectedFp(bogus) });
    expect(sink.lines.at(-1)).not.toContain(bogus);
  });

  it('writes mcp.auth denied with insufficient_scope for a 403 from requireBearerAuth', async () => {
    const before = sink.lines.length;
    expect((await post(example.url, { authorization: `Bearer ${EXAMPLE_TOKENS.bob}` })).status).toBe(403);
    const event = await lastEvent(sink, before + 1);
    expect(event.auth).toEqual({ outcome: 'denied', reason: 'insufficient_scope' });
    expect(event.principal).toEqual({ tokenPresent: true, tokenFp: expectedFp(EXAMPLE_TOKENS.bob) });
    expect(event.http).toMatchObject({ status: 403 });
  });

  it('rejects a foreign Origin with 403 and logs invalid_origin once', async () => {
    const before = sink.lines.length;
    const response = await post(example.url, {
      authorization: `Bearer ${EXAMPLE_TOKENS.alice}`,
      origin: 'https://evil.example',
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Forbidden: Origin not allowed' },
      id: null,
    });
    const event = await lastEvent(sink, before + 1);
    expect(event.auth).toEqual({ outcome: 'denied', reason: 'invalid_origin' });
    expect(event.http).toMatchObject({ origin: 'https://evil.example', status: 403 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sink.lines).toHaveLength(before + 1);
  });

  it('lets an allowed Origin through', async () => {
    const before = sink.lines.length;
    const response = await post(example.url, {
      authorization: `Bearer ${EXAMPLE_TOKENS.alice}`,
      origin: 'https://app.example.com',
    });
    expect(response.status).toBe(200);
    const event = await lastEvent(sink, before + 1);
    expect(event).toMatchObject({ event: 'mcp.session', http: { origin: 'https://app.example.com' } });
  });

  it('rejects a foreign Host (DNS rebinding) with invalid_host', async () => {
    const before = sink.lines.length;
    const status = await rawPost(example.url, {
      host: 'rebind.attacker.example',
      authorization: `Bearer ${EXAMPLE_TOKENS.alice}`,
    });
    expect(status).toBe(403);
    const event = await lastEvent(sink, before + 1);
    expect(event.auth).toEqual({ outcome: 'denied', reason: 'invalid_host' });
    expect(event.http).toMatchObject({ host: 'rebind.attacker.example', status: 403 });
  });

  it('writes the transport error of an unknown session as mcp.call with -32001', async () => {
    const before = sink.lines.length;
    const response = await post(
      example.url,
      { authorization: `Bearer ${EXAMPLE_TOKENS.alice}`, 'mcp-session-id': 'guessed-session-1' },
      { jsonrpc: '2.0', id: 9, method: 'tools/list' },
    );
    expect(response.status).toBe(404);
    const event = await lastEvent(sink, before + 1);
    expect(event).toMatchObject({
      event: 'mcp.call',
      session: 'guessed-session-1',
      client: { ip: '127.0.0.1' },
      http: { status: 404 },
      error: { code: -32001, message: 'Session not found' },
    });
  });
});

describe('rate limiting', () => {
  it('writes mcp.ratelimit for each 429', async () => {
    const sink = lineSink();
    const example = await startHttpExample({
      port: 0,
      write: sink.write,
      rateLimit: { max: 2, windowMs: 60_000 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await post(example.url, { authorization: 'Bearer x' })).status);
      expect(statuses).toEqual([401, 401, 429, 429]);
      await waitFor(() => sink.lines.length >= 4);
      const events = sink.events();
      expect(events.map((event) => event.event)).toEqual([
        'mcp.auth',
        'mcp.auth',
        'mcp.ratelimit',
        'mcp.ratelimit',
      ]);
      expect(events[2]).toMatchObject({
        client: { ip: '127.0.0.1' },
        principal: { tokenPresent: true, tokenFp: expectedFp('x') },
        http: { method: 'POST', path: '/mcp', status: 429 },
      });
    } finally {
      await example.close();
    }
  });
});

describe('plain node:http with withMcpHttpLogging (stateless transport)', () => {
  let server: HttpServer;
  let url: string;
  const sink = lineSink();

  beforeAll(async () => {
    const handler = async (
      req: import('node:http').IncomingMessage,
      res: import('node:http').ServerResponse,
    ): Promise<void> => {
      if (!req.headers.authorization) {
        res.statusCode = 401;
        res.setHeader(
          'WWW-Authenticate',
          'Bearer resource_metadata="https://mcp.example/.well-known/oauth-protected-resource"',
        );
        res.end();
        return;
      }
      if (req.headers.authorization === 'Bearer expired-token') {
        // Headers handed to writeHead directly are invisible to res.getHeader().
        res.writeHead(401, {
          'WWW-Authenticate': 'Bearer error="invalid_token", error_description="expired"',
        });
        res.end();
        return;
      }
      // Stateless: a fresh instrumented server and transport per request; the SDK reads the body itself.
      const mcp = new McpServer({ name: 'stateless-mcp', version: '3.0.0' });
      mcp.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => ({
        content: [{ type: 'text', text }],
      }));
      instrument(mcp, { write: sink.write });
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
        enableDnsRebindingProtection: true,
        allowedOrigins: ['https://app.example.com'],
      });
      await mcp.connect(transport);
      res.on('close', () => void mcp.close());
      await transport.handleRequest(req, res);
    };
    server = createServer(
      withMcpHttpLogging(handler, { write: sink.write, serverName: 'stateless-mcp', trustProxy: true }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp?api_key=should-not-be-logged`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('enriches mcp.call with the forwarded client IP, without a session, and drops the query string', async () => {
    const before = sink.lines.length;
    const response = await post(
      url,
      { authorization: 'Bearer stateless-token', 'x-forwarded-for': '203.0.113.7, 10.0.0.2' },
      { jsonrpc: '2.0', id: 'e1', method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } },
    );
    expect(response.status).toBe(200);
    const event = await lastEvent(sink, before + 1);
    expect(event).toMatchObject({
      event: 'mcp.call',
      server: { name: 'stateless-mcp', version: '3.0.0' },
      transport: 'streamable-http',
      client: { ip: '203.0.113.7' },
      principal: { tokenPresent: true, tokenFp: expectedFp('stateless-token') },
      http: { method: 'POST', path: '/mcp' },
      rpc: { id: 'e1', method: 'tools/call' },
      tool: 'echo',
      result: { isError: false, text: 'hi', bytes: 2 },
    });
    expect(event).not.toHaveProperty('session');
    expect(sink.lines.join('\n')).not.toContain('should-not-be-logged');
  });

  it('writes a token-less 401 without an error code as reason unauthorized', async () => {
    const before = sink.lines.length;
    expect((await post(url, {})).status).toBe(401);
    const event = await lastEvent(sink, before + 1);
    expect(event).toMatchObject({
      event: 'mcp.auth',
      server: { name: 'stateless-mcp' },
      principal: { tokenPresent: false },
      auth: { outcome: 'failure', reason: 'unauthorized' },
    });
  });

  it('reads the bearer challenge from headers passed straight to writeHead', async () => {
    const before = sink.lines.length;
    expect((await post(url, { authorization: 'Bearer expired-token' })).status).toBe(401);
    const event = await lastEvent(sink, before + 1);
    expect(event.auth).toEqual({ outcome: 'failure', reason: 'invalid_token' });
    expect(event.principal).toEqual({ tokenPresent: true, tokenFp: expectedFp('expired-token') });
  });

  it("classifies the SDK transport's own Origin rejection as invalid_origin", async () => {
    const before = sink.lines.length;
    const response = await post(
      url,
      { authorization: 'Bearer stateless-token', origin: 'https://evil.example' },
      { jsonrpc: '2.0', id: 'e2', method: 'tools/list' },
    );
    expect(response.status).toBe(403);
    const event = await lastEvent(sink, before + 1);
    expect(event).toMatchObject({
      event: 'mcp.auth',
      auth: { outcome: 'denied', reason: 'invalid_origin' },
      http: { status: 403 },
    });
  });

  it('writes the transport parse error as mcp.call with -32700', async () => {
    const before = sink.lines.length;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: 'Bearer t',
      },
      body: '{"jsonrpc": "2.0", "id": 1, "method": ',
    });
    expect(response.status).toBe(400);
    const event = await lastEvent(sink, before + 1);
    expect(event).toMatchObject({ event: 'mcp.call', http: { status: 400 }, error: { code: -32700 } });
  });
});

describe('originGuard without the logger', () => {
  it('writes its own mcp.auth denial', async () => {
    const sink = lineSink();
    const guard = originGuard({
      allowedOrigins: ['https://ok.example'],
      write: sink.write,
      now: () => Date.parse('2026-11-24T10:00:00Z'),
    });
    const server = createServer((req, res) =>
      guard(req, res, () => {
        res.end('ok');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
    try {
      expect((await post(url, { origin: 'https://ok.example' })).status).toBe(200);
      expect((await post(url, { origin: 'null' })).status).toBe(403);
      expect(sink.events()).toEqual([
        {
          v: 1,
          event: 'mcp.auth',
          time: '2026-11-24T10:00:00.000Z',
          transport: 'streamable-http',
          client: { ip: '127.0.0.1', userAgent: 'node' },
          principal: { tokenPresent: false },
          http: { method: 'POST', path: '/mcp', origin: 'null', host: new URL(url).host, status: 403 },
          auth: { outcome: 'denied', reason: 'invalid_origin' },
        },
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
