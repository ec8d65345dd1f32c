import { localAccount } from './authorization.ts';
import {
  type LocalServiceEndpoints,
  type NamedResource,
  type ResourceKind,
  resourceKinds,
  urlSuffix,
} from './resource-kinds.ts';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

/** The parts of a synthesized CloudFormation template the local endpoints read. */
export interface CloudFormationTemplate {
  readonly Resources: Readonly<Record<string, TemplateResource>>;
  readonly Parameters?: Readonly<Record<string, { readonly Default?: unknown }>>;
}

export interface TemplateReferenceOptions {
  /**
   * The physical name by logical id, replacing the template's own name and the derived one: the
   * name a resource goes by (for Cognito user pools and their clients, the id).
   */
  readonly names?: Readonly<Record<string, string>>;
  readonly endpoints?: LocalServiceEndpoints;
}

/** A Lambda function of the template, as the local stack runs it. */
export interface TemplateFunction {
  readonly logicalId: string;
  readonly roleId: string;
  /** `index.handler`: the module and export inside the bundle. */
  readonly handler: string;
  /** The bundle's directory relative to the cloud assembly (cdk.out), when the template records it. */
  readonly assetPath: string | undefined;
  /** Its module under functions/ (`catalog/create-listing`), from the metadata CDK records it in. */
  readonly handlerModule: string | undefined;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Environment.Variables with every reference resolved. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface TemplateReferences {
  /** The value with every intrinsic function (`Ref`, `Fn::GetAtt`, `Fn::Join`, ...) replaced by its local value. */
  resolve(value: unknown): unknown;
  physicalName(logicalId: string): string;
  arnOf(logicalId: string): string;
  /** What `Fn::GetAtt: [logicalId, attribute]` resolves to. */
  attribute(logicalId: string, attribute: string): string;
  functionEnvironment(functionId: string): Record<string, string>;
  functions(): TemplateFunction[];
}

const pseudoParameters: Readonly<Record<string, string>> = {
  'AWS::Partition': localAccount.partition,
  'AWS::Region': localAccount.region,
  'AWS::AccountId': localAccount.accountId,
  'AWS::URLSuffix': urlSuffix,
};

const isIntrinsic = (value: Record<string, unknown>): boolean => {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || Boolean(keys[0]?.startsWith('Fn::')));
};

function expectString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where} resolved to ${JSON.stringify(value)}, not a string`);
}

function expectList(value: unknown, where: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new Error(`${where} expects a list, got ${JSON.stringify(value)}`);
}

/** `${Name}`, `${Name.Attribute}` and the literal `${!Text}` of an `Fn::Sub` template. */
const substitution = /\$\{(!?)([^}]+)\}/g;

/**
 * Resolves a synthesized template's references to what they name locally: names derived from the
 * logical ids (or given), ARNs of the local account and region, and local endpoints.
 */
export function createTemplateReferences(
  template: CloudFormationTemplate,
  options: TemplateReferenceOptions = {},
): TemplateReferences {
  const kinds = resourceKinds(options.endpoints);

  function resourceOf(logicalId: string): TemplateResource {
    const resource = template.Resources[logicalId];
    if (!resource) throw new Error(`The template has no resource ${logicalId}`);
    return resource;
  }

  function kindOf(logicalId: string, purpose: string): ResourceKind {
    const { Type } = resourceOf(logicalId);
    const kind = kinds[Type];
    if (!kind) throw new Error(`Cannot resolve ${purpose} of ${logicalId}: ${Type} has no local counterpart`);
    return kind;
  }

  function named(logicalId: string): NamedResource {
    const kind = kindOf(logicalId, 'the name');
    const properties = resourceOf(logicalId).Properties ?? {};
    const given = kind.nameProperty === undefined ? undefined : properties[kind.nameProperty];
    const name =
      options.names?.[logicalId] ??
      (given === undefined
        ? (kind.deriveName?.(logicalId, properties) ?? logicalId)
        : expectString(resolve(given), `${logicalId}.${kind.nameProperty}`));
    return { logicalId, name, properties };
  }

  function reference(name: string): string {
    const pseudo = pseudoParameters[name];
    if (pseudo !== undefined) return pseudo;
    const parameter = template.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new Error(`Parameter ${name} has no default`);
      return expectString(parameter.Default, `Parameter ${name}`);
    }
    return kindOf(name, 'Ref').ref(named(name));
  }

  function attribute(logicalId: string, attributeName: string): string {
    const kind = kindOf(logicalId, `Fn::GetAtt ${attributeName}`);
    const read = kind.attributes[attributeName];
    if (!read) {
      const { Type } = resourceOf(logicalId);
      throw new Error(`Cannot resolve Fn::GetAtt ${logicalId}.${attributeName}: no local ${Type} attribute`);
    }
    return read(named(logicalId));
  }

  function getAtt(argument: unknown): string {
    const [logicalId, attributeName] =
      typeof argument === 'string'
        ? [argument.slice(0, argument.indexOf('.')), argument.slice(argument.indexOf('.') + 1)]
        : expectList(argument, 'Fn::GetAtt');
    return attribute(
      expectString(logicalId, 'Fn::GetAtt'),
      expectString(resolve(attributeName), 'Fn::GetAtt'),
    );
  }

  function sub(argument: unknown): string {
    const [text, variables = {}] =
      typeof argument === 'string' ? [argument] : expectList(argument, 'Fn::Sub');
    const values = resolve(variables) as Record<string, unknown>;
    return expectString(text, 'Fn::Sub').replace(substitution, (_match, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      if (name in values) return expectString(values[name], `Fn::Sub \${${name}}`);
      const dot = name.indexOf('.');
      return dot < 0 ? reference(name) : attribute(name.slice(0, dot), name.slice(dot + 1));
    });
  }

  function intrinsic(name: string, argument: unknown): unknown {
    switch (name) {
      case 'Ref':
        return reference(expectString(argument, 'Ref'));
      case 'Fn::GetAtt':
        return getAtt(argument);
      case 'Fn::Join': {
        const [delimiter, parts] = expectList(argument, 'Fn::Join');
        const values = expectList(resolve(parts), 'Fn::Join');
        return values.map((part) => expectString(part, 'Fn::Join')).join(expectString(delimiter, 'Fn::Join'));
      }
      case 'Fn::Select': {
        const [index, list] = expectList(argument, 'Fn::Select');
        const position = Number(resolve(index));
        const values = expectList(resolve(list), 'Fn::Select');
        if (!Number.isInteger(position) || position < 0 || position >= values.length) {
          throw new Error(`Fn::Select index ${position} is outside a list of ${values.length}`);
        }
        return values[position];
      }
      case 'Fn::Split': {
        const [delimiter, source] = expectList(argument, 'Fn::Split');
        return expectString(resolve(source), 'Fn::Split').split(expectString(delimiter, 'Fn::Split'));
      }
      case 'Fn::Sub':
        return sub(argument);
      default:
        throw new Error(`${name} is not resolved locally`);
    }
  }

  function resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const [first] = entries;
    if (first && isIntrinsic(value as Record<string, unknown>)) return intrinsic(first[0], first[1]);
    return Object.fromEntries(entries.map(([key, item]) => [key, resolve(item)]));
  }

  function functionProperties(functionId: string): Readonly<Record<string, unknown>> {
    const resource = resourceOf(functionId);
    if (resource.Type !== 'AWS::Lambda::Function') throw new Error(`${functionId} is not a Lambda function`);
    return resource.Properties ?? {};
  }

  function functionEnvironment(functionId: string): Record<string, string> {
    const environment = functionProperties(functionId).Environment as { Variables?: unknown } | undefined;
    const variables = resolve(environment?.Variables ?? {}) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [name, expectString(value, `${functionId} ${name}`)]),
    );
  }

  function describeFunction(logicalId: string): TemplateFunction {
    const properties = functionProperties(logicalId);
    const role = properties.Role as { 'Fn::GetAtt'?: unknown } | undefined;
    const [roleId] = Array.isArray(role?.['Fn::GetAtt']) ? role['Fn::GetAtt'] : [];
    if (typeof roleId !== 'string') throw new Error(`${logicalId}'s role is not a role of the template`);
    const { Metadata: metadata } = resourceOf(logicalId);
    const assetPath = metadata?.['aws:asset:path'];
    const handlerModule = metadata?.['marketplace:handler'];
    return {
      logicalId,
      roleId,
      handler: expectString(properties.Handler, `${logicalId} Handler`),
      assetPath: typeof assetPath === 'string' ? assetPath : undefined,
      handlerModule: typeof handlerModule === 'string' ? handlerModule : undefined,
      timeoutSeconds: Number(properties.Timeout ?? 3),
      memoryMb: Number(properties.MemorySize ?? 128),
      environment: functionEnvironment(logicalId),
    };
  }

  return {
    resolve,
    physicalName: (logicalId) => named(logicalId).name,
    arnOf(logicalId) {
      const arn = kindOf(logicalId, 'the ARN').arn;
      if (!arn) throw new Error(`${logicalId} (${resourceOf(logicalId).Type}) has no ARN`);
      return arn(named(logicalId));
    },
    attribute,
    functionEnvironment,
    functions: () =>
      Object.entries(template.Resources)
        .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
        .map(([logicalId]) => describeFunction(logicalId)),
  };
}
