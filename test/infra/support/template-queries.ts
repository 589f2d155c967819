/** Small queries over a synthesized template that aws-cdk-lib/assertions does not offer directly. */
import type { Template } from 'aws-cdk-lib/assertions';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export function resources(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.findResources(type) as Record<string, CfnResource>);
}

export function onlyResource(template: Template, type: string): [string, CfnResource] {
  const found = resources(template, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0]!;
}

export function countByType(template: Template): Record<string, number> {
  const counts: Record<string, number> = {};
  const all = template.toJSON().Resources as Record<string, CfnResource>;
  for (const resource of Object.values(all)) counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  return counts;
}

interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of every identity policy (AWS::IAM::Policy and inline role policies). */
export function identityStatements(template: Template): PolicyStatementJson[] {
  const statements: PolicyStatementJson[] = [];
  for (const [, policy] of resources(template, 'AWS::IAM::Policy')) {
    const document = policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] };
    statements.push(...document.Statement);
  }
  for (const [, role] of resources(template, 'AWS::IAM::Role')) {
    const inline = (role.Properties?.Policies ?? []) as {
      PolicyDocument: { Statement: PolicyStatementJson[] };
    }[];
    for (const policy of inline) statements.push(...policy.PolicyDocument.Statement);
  }
  return statements;
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return asArray(statement.Action);
}

/** Statements of the default policy attached to the role whose logical id starts with `rolePrefix`. */
export function roleStatements(template: Template, rolePrefix: string): PolicyStatementJson[] {
  const statements: PolicyStatementJson[] = [];
  for (const [, policy] of resources(template, 'AWS::IAM::Policy')) {
    const roles = (policy.Properties?.Roles ?? []) as { Ref: string }[];
    if (roles.some((role) => role.Ref.startsWith(rolePrefix))) {
      statements.push(
        ...(policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement,
      );
    }
  }
  return statements;
}

/** The dashboard body as a JSON string with CloudFormation references replaced by `<Ref>` markers. */
export function dashboardBody(template: Template): { widgets: unknown[] } {
  const [, dashboard] = onlyResource(template, 'AWS::CloudWatch::Dashboard');
  const body = dashboard.Properties?.DashboardBody as { 'Fn::Join': [string, unknown[]] } | string;
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<Ref>')).join('');
  return JSON.parse(text) as { widgets: unknown[] };
}
