/**
 * Per-HTTP-request facts (source IP, user agent, path, Origin) that the HTTP middleware knows and
 * the JSON-RPC layer does not: the SDK's transports hand message handlers the request headers but
 * not the socket. The middleware runs the rest of the request inside this AsyncLocalStorage, and
 * `instrument()` reads it when a message arrives. raw-body (express.json) and the SDK's own body
 * reading both keep the async context, so the store survives to the transport's onmessage.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientInfo, HttpInfo } from './event.js';

export interface HttpRequestContext {
  client: ClientInfo;
  http: HttpInfo;
}

// One store per process even if two copies of this module are loaded (bundled twice, or imported
// through both the package entry and a relative path), so the middleware and instrument() agree.
const STORE_KEY = Symbol.for('mcp-watchtower.instrument.http-request-context');
const registry = globalThis as typeof globalThis & { [STORE_KEY]?: AsyncLocalStorage<HttpRequestContext> };

export const httpRequestContext: AsyncLocalStorage<HttpRequestContext> = (registry[STORE_KEY] ??=
  new AsyncLocalStorage<HttpRequestContext>());
