/**
 * What a detector derives from the per-server expectations of the config (`servers:` — allowed
 * origins, audiences, issuers …), derived once in its `prepare` for every server the config
 * names and for `*` (every other server), instead of merging `serverExpectation` per event.
 */
import { serverExpectation, type EngineConfig, type ServerExpectation } from '../config/schema.js';

export class PerServer<T> {
  private readonly byServer = new Map<string, T>();
  private readonly fallback: T;

  constructor(config: EngineConfig, derive: (expectation: ServerExpectation) => T) {
    this.fallback = derive(serverExpectation(config, undefined));
    for (const name of Object.keys(config.servers)) this.byServer.set(name, derive(serverExpectation(config, name)));
  }

  /** The value for `server` (a server the config does not name gets the `*` one). */
  of(server: string | undefined): T {
    if (server === undefined) return this.fallback;
    const own = this.byServer.get(server);
    return own !== undefined || this.byServer.has(server) ? (own as T) : this.fallback;
  }
}
