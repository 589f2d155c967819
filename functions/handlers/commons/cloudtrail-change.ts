/**
 * EventBridge "AWS API Call via CloudTrail" events on MCP servers' AWS resources → canonical
 * `mcp.change` events (docs/log-format.md), which CFG-SERVER-CHANGE checks against the config's
 * `changes.allowedActors`.
 *
 *   server.name   the resource's name: Lambda function, ECS service (or cluster / task family),
 *                 IAM role, SSM parameter, AgentCore gateway id
 *   change        {target: 'aws-resource', key, action: the API call (Lambda's version suffix
 *                 dropped), resource: the resource ARN, actor: userIdentity.arn, source: 'cloudtrail'}
 *   time          detail.eventTime
 *
 * Calls that failed (errorCode) or only read are not changes and are ignored.
 */
import * as z from 'zod';
import type { EngineEvent } from '../../engine/events/engine-event.js';
import type { McpEvent } from '../../engine/events/schema.js';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

const Params = z.record(z.string(), z.unknown()).nullish();

const CloudTrailEventSchema = z.looseObject({
  id: z.string().min(1),
  'detail-type': z.literal(CLOUDTRAIL_DETAIL_TYPE),
  source: z.string(),
  account: z.string().optional(),
  region: z.string().optional(),
  time: z.string().optional(),
  detail: z.looseObject({
    eventSource: z.string(),
    eventName: z.string(),
    eventTime: z.string().optional(),
    awsRegion: z.string().optional(),
    recipientAccountId: z.string().optional(),
    sourceIPAddress: z.string().optional(),
    userAgent: z.string().optional(),
    errorCode: z.string().optional(),
    readOnly: z.boolean().optional(),
    eventID: z.string().optional(),
    userIdentity: z
      .looseObject({
        type: z.string().optional(),
        arn: z.string().optional(),
        principalId: z.string().optional(),
        invokedBy: z.string().optional(),
        accountId: z.string().optional(),
      })
      .optional(),
    requestParameters: Params,
    responseElements: Params,
  }),
});

export type CloudTrailEvent = z.output<typeof CloudTrailEventSchema>;

export type ChangeMapping =
  | { readonly kind: 'change'; readonly eventId: string; readonly event: EngineEvent }
  | { readonly kind: 'ignored'; readonly eventId?: string; readonly reason: string }
  | { readonly kind: 'invalid'; readonly reason: string };

const MAX_FIELD = 512;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-fA-F:]{2,39}$/;
/** CloudTrail names Lambda calls with their API version: UpdateFunctionCode20150331v2. */
const LAMBDA_VERSION_SUFFIX = /\d{8}(?:v\d{1,3})?$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, MAX_FIELD) : undefined;
}

/** The last segment of an ARN-ish identifier after `marker` (`function:`, `service/`, ...). */
function after(identifier: string, marker: string): string {
  const at = identifier.lastIndexOf(marker);
  return at < 0 ? identifier : identifier.slice(at + marker.length);
}

interface Resource {
  readonly server?: string;
  readonly resource?: string;
}

function arnPartition(actor: string | undefined): string {
  const m = /^arn:(aws[a-z-]*):/.exec(actor ?? '');
  return m?.[1] ?? 'aws';
}

function resourceOf(ev: CloudTrailEvent): Resource {
  const d = ev.detail;
  const req = d.requestParameters ?? {};
  const res = d.responseElements ?? {};
  const region = d.awsRegion ?? ev.region ?? '';
  const account = d.recipientAccountId ?? ev.account ?? '';
  const partition = arnPartition(d.userIdentity?.arn);
  const service = d.eventSource.replace(/\.amazonaws\.com$/, '');
  const arn = (rest: string, withRegion = true) => `arn:${partition}:${service}:${withRegion ? region : ''}:${account}:${rest}`;
  switch (service) {
    case 'lambda': {
      const id = text(req.functionName);
      if (id === undefined) return {};
      // A name, a full or partial ARN, possibly with a qualifier (name:alias).
      const name = after(id, 'function:').split(':')[0] ?? id;
      return { server: name, resource: arn(`function:${name}`) };
    }
    case 'ecs': {
      const family = text(req.family);
      if (family !== undefined) {
        const registered = text((res.taskDefinition as Record<string, unknown> | undefined)?.taskDefinitionArn);
        return { server: family, resource: registered ?? arn(`task-definition/${family}`) };
      }
      const cluster = text(req.cluster);
      const serviceId = text(req.service) ?? text(req.serviceName);
      const clusterName = cluster !== undefined ? after(cluster, 'cluster/') : 'default';
      if (serviceId !== undefined) {
        const name = after(serviceId, '/');
        return { server: name, resource: arn(`service/${clusterName}/${name}`) };
      }
      if (cluster !== undefined) return { server: clusterName, resource: arn(`cluster/${clusterName}`) };
      return {};
    }
    case 'iam': {
      const role = text(req.roleName);
      return role === undefined ? {} : { server: role, resource: arn(`role/${role}`, false) };
    }
    case 'ssm': {
      const name = text(req.name);
      return name === undefined ? {} : { server: name, resource: arn(`parameter${name.startsWith('/') ? '' : '/'}${name}`) };
    }
    case 'bedrock-agentcore': {
      const id = text(req.gatewayIdentifier) ?? text(res.gatewayId);
      if (id === undefined) return {};
      const gateway = after(id, 'gateway/');
      const target = text(req.targetId) ?? text(res.targetId);
      return { server: gateway, resource: arn(`gateway/${gateway}${target !== undefined ? `/target/${target}` : ''}`) };
    }
    default: {
      const name = text(req.name) ?? text(req.resourceName);
      return name === undefined ? {} : { server: name };
    }
  }
}

function actorOf(ev: CloudTrailEvent): string | undefined {
  const who = ev.detail.userIdentity;
  return text(who?.arn) ?? text(who?.invokedBy) ?? text(who?.principalId);
}

function clientOf(ev: CloudTrailEvent): McpEvent['client'] | undefined {
  const ip = ev.detail.sourceIPAddress;
  const userAgent = text(ev.detail.userAgent);
  const isIp = ip !== undefined && (IPV4.test(ip) || (ip.includes(':') && IPV6.test(ip)));
  if (!isIp && userAgent === undefined) return undefined;
  return { ...(isIp ? { ip } : {}), ...(userAgent !== undefined ? { userAgent } : {}) };
}

export function changeEventFrom(input: unknown): ChangeMapping {
  const parsed = CloudTrailEventSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'invalid', reason: `not a CloudTrail API call event: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown shape'}` };
  }
  const ev = parsed.data;
  const d = ev.detail;
  if (d.errorCode !== undefined) return { kind: 'ignored', eventId: ev.id, reason: `the call failed (${d.errorCode}): nothing changed` };
  if (d.readOnly === true) return { kind: 'ignored', eventId: ev.id, reason: 'a read-only call' };
  const time = d.eventTime ?? ev.time;
  const ts = time !== undefined ? Date.parse(time) : Number.NaN;
  if (!Number.isFinite(ts)) return { kind: 'invalid', reason: `no valid eventTime (${String(time)})` };
  const action = d.eventName.replace(LAMBDA_VERSION_SUFFIX, '');
  const { server, resource } = resourceOf(ev);
  const actor = actorOf(ev);
  const client = clientOf(ev);
  const event: McpEvent = {
    v: 1,
    event: 'mcp.change',
    time: new Date(ts).toISOString(),
    ...(server !== undefined ? { server: { name: server } } : {}),
    ...(client !== undefined ? { client } : {}),
    change: {
      target: 'aws-resource',
      key: action,
      action,
      ...(resource !== undefined ? { resource } : {}),
      ...(actor !== undefined ? { actor } : {}),
      source: 'cloudtrail',
    },
  } as McpEvent;
  return { kind: 'change', eventId: ev.id, event: { event, ts, origin: { format: 'canonical', id: d.eventID ?? ev.id } } };
}
