/**
 * The PagerDuty routing key, read from Secrets Manager once per execution environment (the
 * forwarder's role may read only this secret). The secret is the key itself, or JSON with
 * `routing_key` / `routingKey`. The key is never logged.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export class RoutingKeyProvider {
  private cached: Promise<string> | undefined;

  constructor(
    private readonly client: Pick<SecretsManagerClient, 'send'>,
    private readonly secretId: string,
  ) {}

  get(): Promise<string> {
    this.cached ??= this.load().catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }

  private async load(): Promise<string> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    const raw = (out.SecretString ?? '').trim();
    let key = raw;
    if (raw.startsWith('{')) {
      try {
        const json = JSON.parse(raw) as Record<string, unknown>;
        key = String(json.routing_key ?? json.routingKey ?? json.integrationKey ?? '');
      } catch {
        key = '';
      }
    }
    if (!/^[A-Za-z0-9]{20,64}$/.test(key)) throw new Error(`secret ${this.secretId} does not hold a PagerDuty routing key (32 characters, or JSON with routing_key)`);
    return key;
  }
}
