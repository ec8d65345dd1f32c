import { type Authorize, accessDenied } from './authorization.ts';
import { AwsServiceError } from './json-protocol.ts';
import type { CloudFormationTemplate, TemplateReferences } from './template-references.ts';

/**
 * One statement of an identity-based policy with its resources resolved to local ARNs. A statement
 * names either `actions` or `notActions`, and either `resources` or `notResources`.
 */
export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  /** Where it was written: `<policy logical id> statement <index>`. */
  readonly source: string;
}

/**
 * Every statement of each Lambda function's execution role, by the function's logical id. Plain
 * data: copy and edit it (see `withoutAction`) to see a call denied once a grant is gone.
 */
export type FunctionPolicies = Readonly<Record<string, readonly PolicyStatement[]>>;

export type PolicyDecision = 'allow' | 'implicit-deny' | 'explicit-deny';

/**
 * Locally a function signs its calls with an access key id that is its logical id
 * (`ApiPayoutsListPayoutRunsFunctionDF6542F8`); the secret is never checked.
 */
export const functionCredentials = (functionLogicalId: string) => ({
  accessKeyId: functionLogicalId,
  secretAccessKey: 'local',
});

interface RawStatement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

const policyTypes = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']);

function strings(value: unknown, source: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== 'string') throw new Error(`${source}: ${JSON.stringify(item)} is not a string`);
    return item;
  });
}

function toStatement(raw: RawStatement, source: string, references: TemplateReferences): PolicyStatement {
  if (raw.Condition !== undefined) {
    throw new Error(`${source} has a Condition, which local authorization does not evaluate`);
  }
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') throw new Error(`${source} has no Effect`);
  const actions = strings(raw.Action, source);
  const notActions = strings(raw.NotAction, source);
  const resources = strings(references.resolve(raw.Resource), source);
  const notResources = strings(references.resolve(raw.NotResource), source);
  if (!actions === !notActions) throw new Error(`${source} needs exactly one of Action and NotAction`);
  if (!resources === !notResources)
    throw new Error(`${source} needs exactly one of Resource and NotResource`);
  return {
    effect: raw.Effect,
    source,
    ...(actions ? { actions } : { notActions }),
    ...(resources ? { resources } : { notResources }),
  };
}

function documentStatements(
  document: unknown,
  source: string,
  references: TemplateReferences,
): PolicyStatement[] {
  const statement = (document as { Statement?: unknown } | undefined)?.Statement ?? [];
  const raws = (Array.isArray(statement) ? statement : [statement]) as RawStatement[];
  return raws.map((raw, index) => toStatement(raw, `${source} statement ${index}`, references));
}

/** The policy names its roles by `Ref` to their logical id, or by their physical name. */
function attachesTo(roles: unknown, roleId: string, references: TemplateReferences): boolean {
  if (!Array.isArray(roles)) return false;
  return roles.some((role) =>
    typeof role === 'string'
      ? role === references.physicalName(roleId)
      : (role as { Ref?: unknown } | null)?.Ref === roleId,
  );
}

/**
 * The statements of the role's inline policies and of every policy attached to it in the template.
 * AWS managed policies (`ManagedPolicyArns`) are not known locally: a call they alone would allow
 * is denied.
 */
function roleStatements(
  template: CloudFormationTemplate,
  roleId: string,
  references: TemplateReferences,
): PolicyStatement[] {
  const role = template.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role of the template`);
  const inline = (role.Properties?.Policies ?? []) as { PolicyName?: unknown; PolicyDocument?: unknown }[];
  const attached = Object.entries(template.Resources).filter(
    ([, resource]) =>
      policyTypes.has(resource.Type) && attachesTo(resource.Properties?.Roles, roleId, references),
  );
  return [
    ...inline.flatMap((policy) =>
      documentStatements(policy.PolicyDocument, `${roleId} policy ${String(policy.PolicyName)}`, references),
    ),
    ...attached.flatMap(([policyId, policy]) =>
      documentStatements(policy.Properties?.PolicyDocument, policyId, references),
    ),
  ];
}

/** Each Lambda function's role policies, from the synthesized template. */
export function functionPolicies(
  template: CloudFormationTemplate,
  references: TemplateReferences,
): FunctionPolicies {
  return Object.fromEntries(
    references
      .functions()
      .map(({ logicalId, roleId }) => [logicalId, roleStatements(template, roleId, references)]),
  );
}

const escapeRegExp = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** IAM's globs: `*` any run of characters (`/` and `:` too), `?` any one character. */
function globMatcher(pattern: string, flags: string): RegExp {
  const body = escapeRegExp(pattern).replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${body}$`, flags);
}

const matchers = new Map<string, RegExp>();

function matches(patterns: readonly string[], value: string, caseInsensitive: boolean): boolean {
  return patterns.some((pattern) => {
    const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
    let matcher = matchers.get(key);
    if (!matcher) {
      matcher = globMatcher(pattern, caseInsensitive ? 'i' : '');
      matchers.set(key, matcher);
    }
    return matcher.test(value);
  });
}

function applies(statement: PolicyStatement, action: string, resource: string): boolean {
  const actionMatches = statement.actions
    ? matches(statement.actions, action, true)
    : !matches(statement.notActions ?? [], action, true);
  const resourceMatches = statement.resources
    ? matches(statement.resources, resource, false)
    : !matches(statement.notResources ?? [], resource, false);
  return actionMatches && resourceMatches;
}

/** IAM's evaluation of identity-based policies: an explicit Deny wins, then any Allow, else denied. */
export function evaluatePolicy(
  statements: readonly PolicyStatement[],
  action: string,
  resource: string,
): PolicyDecision {
  const applying = statements.filter((statement) => applies(statement, action, resource));
  if (applying.some((statement) => statement.effect === 'Deny')) return 'explicit-deny';
  return applying.length > 0 ? 'allow' : 'implicit-deny';
}

export interface PolicyAuthorizerOptions {
  /** The function (logical id) an access key id belongs to; by default the key id is the logical id. */
  readonly accessKeyToFunction?: (accessKeyId: string) => string | undefined;
}

/** Checks each call against the role policies of the function that signed it; unsigned and unknown callers are denied. */
export function policyAuthorizer(
  policies: FunctionPolicies,
  options: PolicyAuthorizerOptions = {},
): Authorize {
  const functionOf = options.accessKeyToFunction ?? ((accessKeyId: string) => accessKeyId);
  return (accessKeyId, action, resource) => {
    const functionId = accessKeyId === undefined ? undefined : functionOf(accessKeyId);
    const statements =
      functionId !== undefined && Object.hasOwn(policies, functionId) ? policies[functionId] : undefined;
    const decision = statements ? evaluatePolicy(statements, action, resource) : 'implicit-deny';
    if (decision === 'explicit-deny') {
      throw new AwsServiceError(
        'AccessDeniedException',
        `User: ${accessKeyId} is not authorized to perform: ${action} on resource: ${resource} ` +
          'with an explicit deny in an identity-based policy',
      );
    }
    if (decision === 'implicit-deny') throw accessDenied(accessKeyId, action, resource);
  };
}

/**
 * A copy of `policies` where the function's statements no longer grant `action` (matched exactly,
 * ignoring case); statements left without actions are dropped.
 */
export function withoutAction(
  policies: FunctionPolicies,
  functionId: string,
  action: string,
): FunctionPolicies {
  const statements = policies[functionId];
  if (!statements) throw new Error(`No policies for function ${functionId}`);
  const kept = statements.flatMap((statement) => {
    if (!statement.actions || statement.effect !== 'Allow') return [statement];
    const actions = statement.actions.filter((granted) => granted.toLowerCase() !== action.toLowerCase());
    return actions.length > 0 ? [{ ...statement, actions }] : [];
  });
  return { ...policies, [functionId]: kept };
}
