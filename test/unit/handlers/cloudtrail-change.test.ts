import { describe, expect, it } from 'vitest';
import { changeEventFrom } from '../../../functions/handlers/commons/cloudtrail-change.js';
import { ACCOUNT, cloudTrailEvent, type CloudTrailOptions } from '../../helpers/cloudtrail-events.js';

function mapped(options: CloudTrailOptions) {
  const result = changeEventFrom(cloudTrailEvent(options));
  if (result.kind !== 'change') throw new Error(`expected a change, got ${result.kind}: ${'reason' in result ? result.reason : ''}`);
  return result.event.event;
}

describe('CloudTrail → mcp.change', () => {
  it('maps a Lambda code update: server from the function ARN, API version suffix dropped', () => {
    const event = mapped({
      eventSource: 'lambda.amazonaws.com',
      eventName: 'UpdateFunctionCode20150331v2',
      eventTime: '2026-11-24T10:15:00Z',
      requestParameters: { functionName: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:files-mcp:live` },
    });
    expect(event).toEqual({
      v: 1,
      event: 'mcp.change',
      time: '2026-11-24T10:15:00.000Z',
      server: { name: 'files-mcp' },
      client: { ip: '198.51.100.23', userAgent: 'aws-cli/2.15.0' },
      change: {
        target: 'aws-resource',
        key: 'UpdateFunctionCode',
        action: 'UpdateFunctionCode',
        resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:files-mcp`,
        actor: `arn:aws:sts::${ACCOUNT}:assumed-role/developer/alice`,
        source: 'cloudtrail',
      },
    });
  });

  it.each([
    ['ecs.amazonaws.com', 'UpdateService', { cluster: 'mcp', service: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/mcp/git-mcp` }, 'git-mcp', `arn:aws:ecs:us-east-1:${ACCOUNT}:service/mcp/git-mcp`],
    ['ecs.amazonaws.com', 'RegisterTaskDefinition', { family: 'git-mcp-task' }, 'git-mcp-task', `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/git-mcp-task`],
    ['iam.amazonaws.com', 'PutRolePolicy', { roleName: 'files-mcp-role', policyName: 'inline' }, 'files-mcp-role', `arn:aws:iam::${ACCOUNT}:role/files-mcp-role`],
    ['iam.amazonaws.com', 'AttachRolePolicy', { roleName: 'files-mcp-role', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, 'files-mcp-role', `arn:aws:iam::${ACCOUNT}:role/files-mcp-role`],
    ['ssm.amazonaws.com', 'PutParameter', { name: '/mcp/files/allowed-origins', type: 'String' }, '/mcp/files/allowed-origins', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/mcp/files/allowed-origins`],
    ['bedrock-agentcore.amazonaws.com', 'UpdateGatewayTarget', { gatewayIdentifier: 'gw-12345', targetId: 'tgt-1' }, 'gw-12345', `arn:aws:bedrock-agentcore:us-east-1:${ACCOUNT}:gateway/gw-12345/target/tgt-1`],
    ['bedrock-agentcore.amazonaws.com', 'CreateGateway', { name: 'mcp-gw' }, undefined, undefined],
  ])('%s %s names the server and the resource', (eventSource, eventName, requestParameters, server, resource) => {
    const event = mapped({ eventSource, eventName, requestParameters });
    expect(event.server?.name).toBe(server);
    expect(event.change?.resource).toBe(resource);
    expect(event.change?.action).toBe(eventName);
  });

  it('takes a created gateway\'s id from the response', () => {
    const event = mapped({ eventSource: 'bedrock-agentcore.amazonaws.com', eventName: 'CreateGateway', requestParameters: { name: 'mcp-gw' }, responseElements: { gatewayId: 'gw-new' } });
    expect(event.server?.name).toBe('gw-new');
  });

  it('ignores failed and read-only calls, and rejects what is not a CloudTrail API call', () => {
    expect(changeEventFrom(cloudTrailEvent({ eventSource: 'iam.amazonaws.com', eventName: 'PutRolePolicy', errorCode: 'AccessDenied' }))).toMatchObject({
      kind: 'ignored',
      reason: 'the call failed (AccessDenied): nothing changed',
    });
    expect(changeEventFrom(cloudTrailEvent({ eventSource: 'lambda.amazonaws.com', eventName: 'GetFunction', readOnly: true }))).toMatchObject({ kind: 'ignored' });
    expect(changeEventFrom({ 'detail-type': 'Scheduled Event', id: 'x', source: 'aws.events', detail: {} })).toMatchObject({ kind: 'invalid' });
    expect(changeEventFrom('nope')).toMatchObject({ kind: 'invalid' });
  });

  it('keeps a service principal as the actor and leaves out a non-IP source address', () => {
    const event = mapped({
      eventSource: 'lambda.amazonaws.com',
      eventName: 'UpdateFunctionConfiguration20150331v2',
      requestParameters: { functionName: 'files-mcp' },
      sourceIPAddress: 'cloudformation.amazonaws.com',
    });
    expect(event.client).toEqual({ userAgent: 'aws-cli/2.15.0' });
    expect(event.change?.action).toBe('UpdateFunctionConfiguration');
  });
});
