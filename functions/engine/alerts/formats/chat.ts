/**
 * An alert as an Amazon Q Developer in chat applications (formerly AWS Chatbot) custom
 * notification: published to the chat topic, rendered in the Slack or Teams channel the topic is
 * attached to, no relay function. `threadId` is the fingerprint, so an incident's escalation and
 * resolution land in one thread. Markdown (`client-markdown`) with the evidence as a code block.
 */
import type { Alert } from '../alert.js';
import { clip, sanitizeAlert, utf8Bytes } from './bounded.js';

/** Our bounds, inside what the chat applications accept. */
export const CHAT_TITLE_MAX = 250;
export const CHAT_DESCRIPTION_MAX = 8000;
export const CHAT_MAX_BYTES = 32 * 1024;

export interface ChatNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: readonly string[];
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

const ICON: Readonly<Record<string, string>> = { critical: ':red_circle:', high: ':large_orange_circle:', medium: ':large_yellow_circle:', low: ':large_blue_circle:', info: ':white_circle:' };

/** Markdown-significant characters of log-derived text shown outside code blocks. */
function md(text: string): string {
  return text.replace(/[`*_~[\]|<>]/g, (c) => `\\${c}`);
}

export function toChatNotification(raw: Alert): ChatNotification {
  const alert = sanitizeAlert(raw, 2048);
  const status = alert.status ?? 'new';
  const prefix = status === 'resolved' ? 'RESOLVED' : status === 'updated' ? `${alert.severity.toUpperCase()} (updated)` : alert.severity.toUpperCase();
  const title = clip(`${status === 'resolved' ? ':white_check_mark:' : (ICON[alert.severity] ?? '')} [${prefix}] ${alert.detector} on ${alert.server}: ${alert.title}`, CHAT_TITLE_MAX);
  const facts = [
    `*Server:* ${md(alert.server)}`,
    ...(alert.principal !== undefined ? [`*Principal:* ${md(alert.principal)}`] : []),
    ...(alert.clientIp !== undefined ? [`*Client IP:* ${md(alert.clientIp)}`] : []),
    ...(alert.tool !== undefined ? [`*Tool:* ${md(alert.tool)}`] : []),
    ...(alert.session !== undefined ? [`*Session:* ${md(alert.session)}`] : []),
    `*Seen:* ${alert.firstSeen} → ${alert.lastSeen} (${alert.count}×)`,
    ...(status === 'resolved' ? [`*Resolved:* ${alert.resolvedAt ?? alert.lastSeen} (quiet for its dedup window)`] : []),
    ...(alert.account !== undefined ? [`*Account:* ${alert.account}${alert.region !== undefined ? ` (${alert.region})` : ''}`] : []),
  ];
  const head = `${md(alert.description)}\n\n${facts.join('\n')}`;
  const references = alert.references.slice(0, 5).map((r) => (r.url !== undefined ? `<${r.url}|${md(r.id)}>` : md(r.id))).join(' · ');
  const tail = references.length > 0 ? `\n\n*References:* ${references}` : '';
  const evidence = JSON.stringify(alert.evidence, null, 1).replace(/`/g, "'");
  const budget = CHAT_DESCRIPTION_MAX - head.length - tail.length - 32;
  const evidenceBlock = status === 'resolved' || budget < 64 ? '' : `\n\n*Evidence:*\n\`\`\`\n${clip(evidence, budget)}\n\`\`\``;
  const description = clip(`${head}${evidenceBlock}${tail}`, CHAT_DESCRIPTION_MAX);
  const nextSteps = status === 'resolved' ? ['No action needed unless the incident was not expected to stop.'] : [clip(alert.runbook, 500)];
  const notification: ChatNotification = {
    version: '1.0',
    source: 'custom',
    id: `${alert.fingerprint}:${status}:${alert.lastSeen}`,
    content: {
      textType: 'client-markdown',
      title,
      description,
      nextSteps,
      keywords: [alert.severity, alert.category, alert.detector, status].map((k) => clip(k, 64)),
    },
    metadata: {
      threadId: alert.fingerprint,
      summary: clip(`${alert.severity.toUpperCase()} ${alert.detector} on ${alert.server}`, 250),
      eventType: `mcp-watchtower.${status}`,
      relatedResources: [alert.source?.logGroup, `mcp-server/${alert.server}`].filter((r): r is string => r !== undefined).map((r) => clip(r, 512)),
      additionalContext: { fingerprint: alert.fingerprint, detector: alert.detector, status },
    },
  };
  if (utf8Bytes(notification) <= CHAT_MAX_BYTES) return notification;
  return { ...notification, content: { ...notification.content, description: clip(head + tail, 4000) } };
}
