/** EventBridge "AWS API Call via CloudTrail" events as the config-change function receives them. */
import { randomUUID } from 'node:crypto';

export const ACCOUNT = '123456789012';

export interface CloudTrailOptions {
  readonly id?: string;
  readonly source?: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly actorArn?: string;
  readonly eventTime?: string;
  readonly requestParameters?: Record<string, unknown>;
  readonly responseElements?: Record<string, unknown> | null;
  readonly errorCode?: string;
  readonly readOnly?: boolean;
  readonly sourceIPAddress?: string;
}

export function cloudTrailEvent(o: CloudTrailOptions): Record<string, unknown> {
  const eventTime = o.eventTime ?? '2026-11-24T10:00:00Z';
  return {
    version: '0',
    id: o.id ?? randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: o.source ?? `aws.${o.eventSource.split('.')[0]}`,
    account: ACCOUNT,
    time: eventTime,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEID:alice',
        arn: o.actorArn ?? `arn:aws:sts::${ACCOUNT}:assumed-role/developer/alice`,
        accountId: ACCOUNT,
      },
      eventTime,
      eventSource: o.eventSource,
      eventName: o.eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: o.sourceIPAddress ?? '198.51.100.23',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: o.requestParameters ?? {},
      responseElements: o.responseElements ?? null,
      ...(o.errorCode !== undefined ? { errorCode: o.errorCode, errorMessage: 'denied' } : {}),
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: o.readOnly ?? false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
    },
  };
}
