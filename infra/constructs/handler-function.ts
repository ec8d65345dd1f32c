import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import {
  type AddToPrincipalPolicyResult,
  type IPrincipal,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type {
  EventArchiveAccess,
  QueueAction,
  TableAction,
  WorkflowAction,
} from '#shared/config/function-resources.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import { archivePrefixes } from '#shared/events/archive.ts';
import { areaLogGroup } from './area-logs.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A function calling Stripe outlives one Stripe call retried to its end (`stripeCallMaxSeconds`), so
 * a slow call is never cut short after Stripe acted, and stays within API Gateway's 30 s limit.
 */
const stripeFunctionSeconds = 29;

export const functionRuntime = Runtime.NODEJS_22_X;

/** How every function is bundled; the bundle benchmark builds its baseline the same way. */
export const functionBundling = {
  format: OutputFormat.ESM,
  minify: true,
  // Stack traces name the TypeScript file and line; the sources themselves stay out of the map,
  // which Node parses at init under --enable-source-maps, and so do the dependencies' mappings.
  sourceMap: true,
  sourcesContent: false,
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_input: string, output: string) => [
      `cd "${repoRoot}" && node --import tsx infra/bundling/trim-source-map.ts "${join(output, 'index.mjs.map')}"`,
    ],
  },
  // The ESM builds of the dependencies (the AWS SDK's among them) tree-shake; their CommonJS builds do not.
  mainFields: ['module', 'main'],
  logLevel: LogLevel.WARNING,
  // Bundled and minified, the SDK cold-starts far faster than the copy in the runtime.
  bundleAwsSDK: true,
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const satisfies BundlingOptions;

/** The service every function logs and counts as: the one dimension of the stack's own metrics. */
export const serviceName = 'marketplace';

/** The CloudWatch namespace of the stack's own metrics (business counters, domain errors): the stack's name. */
export const metricsNamespace = (scope: Construct): string => Stack.of(scope).stackName;

/** The metadata key of a function resource naming its module under functions/: `catalog/create-listing`. */
export const handlerModuleMetadata = 'marketplace:handler';

export interface TableGrant {
  readonly table: Table;
  readonly actions: readonly TableAction[];
}

/** A state machine as its users see it: its name in workflows/ and its ARN. */
export interface WorkflowTarget {
  readonly name: string;
  readonly stateMachineArn: string;
}

export interface WorkflowGrant {
  readonly workflow: WorkflowTarget;
  readonly actions: readonly WorkflowAction[];
}

/** A queue as its senders see it: its name in functions/routes.ts and the queue. */
export interface QueueTarget {
  readonly name: string;
  readonly queue: IQueue;
}

export interface QueueGrant {
  readonly target: QueueTarget;
  readonly actions: readonly QueueAction[];
}

export interface EventArchiveGrant {
  readonly bucket: IBucket;
  readonly access: EventArchiveAccess;
}

export interface HandlerFunctionProps {
  /** Module under functions/ exporting `handler`, without extension: `catalog/create-listing`. */
  readonly handler: string;
  /** Omitted for functions that never touch the table. */
  readonly tableGrant?: TableGrant;
  /** Omitted for functions that neither start nor resume a workflow. */
  readonly workflowGrant?: WorkflowGrant;
  /** Omitted for functions that never send to a queue. */
  readonly queueGrant?: QueueGrant;
  /** The Stripe settings secret, given only to functions that call Stripe. */
  readonly stripeSecret?: ISecret;
  /** The item-list bucket, given only to functions that write item lists (`uses.itemLists`). */
  readonly itemListBucket?: IBucket;
  /** The marketplace's event bus, given only to functions that put events on it (`uses.eventBus`). */
  readonly eventBus?: IEventBus;
  /** The event archive, given only to functions that write or read it (`uses.eventArchive`). */
  readonly eventArchive?: EventArchiveGrant;
  /** Settings the handler reads from its environment, besides those of its grants. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Ten seconds unless given, or as long as an API route may run when the function calls Stripe. */
  readonly timeout?: Duration;
}

/**
 * A role whose grants all go into one policy inside it, where a plain Role puts them in a policy
 * resource of their own: CloudFormation takes 500 resources per stack, and one per function counts.
 */
class InlinePolicyRole extends Role {
  private readonly access: PolicyDocument;

  constructor(scope: Construct, id: string, assumedBy: IPrincipal) {
    const access = new PolicyDocument();
    super(scope, id, { assumedBy, inlinePolicies: { access } });
    this.access = access;
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.access.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/**
 * One Lambda function for one handler module, with a role that may write only its area's log group
 * and touch the table and a workflow only as far as its grants allow.
 */
export class HandlerFunction extends Construct {
  /** The module under functions/ it runs, as in the props. */
  readonly handler: string;
  readonly function: NodejsFunction;
  readonly role: Role;
  private readonly wildcardReasons: string[] = [];

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.handler = props.handler;
    const logGroup = areaLogGroup(this, props.handler);
    // Its own role, not the default one: AWSLambdaBasicExecutionRole may write to every log group.
    const role = new InlinePolicyRole(this, 'Role', new ServicePrincipal('lambda.amazonaws.com'));
    logGroup.grantWrite(role);
    this.role = role;

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(repoRoot, 'functions', `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: functionRuntime,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: props.timeout ?? Duration.seconds(props.stripeSecret ? stripeFunctionSeconds : 10),
      role,
      logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(this),
        NODE_OPTIONS: '--enable-source-maps',
        ...(props.tableGrant ? { [resourceVariables.table]: props.tableGrant.table.tableName } : {}),
        ...(props.workflowGrant
          ? {
              [resourceVariables.workflowArn(props.workflowGrant.workflow.name)]:
                props.workflowGrant.workflow.stateMachineArn,
            }
          : {}),
        ...(props.queueGrant
          ? {
              [resourceVariables.queueUrl(props.queueGrant.target.name)]:
                props.queueGrant.target.queue.queueUrl,
            }
          : {}),
        ...(props.stripeSecret ? { [resourceVariables.stripeSecretArn]: props.stripeSecret.secretArn } : {}),
        ...(props.itemListBucket
          ? { [resourceVariables.itemListBucket]: props.itemListBucket.bucketName }
          : {}),
        ...(props.eventBus ? { [resourceVariables.eventBusName]: props.eventBus.eventBusName } : {}),
        ...(props.eventArchive
          ? { [resourceVariables.eventArchiveBucket]: props.eventArchive.bucket.bucketName }
          : {}),
        ...props.environment,
      },
      bundling: functionBundling,
    });
    // Read by the local stack, which runs this module's source when it does not run the bundle.
    (this.function.node.defaultChild as CfnFunction).addMetadata(handlerModuleMetadata, props.handler);
    this.acknowledgeWildcardResource(
      `Active tracing lets ${props.handler} send its traces: xray:PutTraceSegments and ` +
        'xray:PutTelemetryRecords name no resource type in the Service Authorization Reference, so IAM ' +
        'accepts only "*" for them; they write trace data and read nothing.',
    );
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, the supported Lambda runtime closest to the Node 20 the test suite runs on ' +
        '(engines >=20.19); moving to nodejs24.x should follow the tests moving to Node 24.',
    });

    if (props.tableGrant) this.grantTableAccess(props.tableGrant, role);
    if (props.workflowGrant) this.grantWorkflowAccess(props.workflowGrant, role);
    if (props.queueGrant?.actions.includes('send')) props.queueGrant.target.queue.grantSendMessages(role);
    props.stripeSecret?.grantRead(role);
    if (props.itemListBucket) this.grantItemListWrites(props.itemListBucket, role);
    props.eventBus?.grantPutEventsTo(role);
    if (props.eventArchive) this.grantEventArchiveAccess(props.eventArchive, role);
  }

  /**
   * Acknowledges the role's one `Resource::*` finding, which covers every statement whose actions take
   * no resource, with the reason of each: an acknowledgement of the same finding replaces the last.
   */
  acknowledgeWildcardResource(reason: string): void {
    this.wildcardReasons.push(reason);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: this.wildcardReasons.join(' '),
    });
  }

  private grantTableAccess({ table, actions }: TableGrant, role: Role): void {
    table.grant(role, ...actions.map((action) => `dynamodb:${action}`));
    const tableLogicalId = Stack.of(this).getLogicalId(table.node.defaultChild as CfnTable);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
      reason:
        "Granted with the function's declared actions only; Query needs the table's global secondary " +
        "indexes (GSI1: a seller's listings), and the wildcard spans only this table's indexes.",
    });
  }

  /** Only PutObject: `grantPut` would add tagging, retention and legal holds, which no writer needs. */
  private grantItemListWrites(bucket: IBucket, role: Role): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('*')] }),
    );
    const bucketLogicalId = Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
      reason:
        'Writes item lists under keys it names at run time (one per workflow execution and attempt); ' +
        'the wildcard spans only the objects of the item-list bucket, which holds nothing but item ' +
        'lists, and allows s3:PutObject alone.',
    });
  }

  /**
   * The archiver puts objects under both prefixes; a route reading the admins' feed or the users'
   * feeds gets and lists only its own. Listing is granted on the bucket, without an `s3:prefix`
   * condition, which the local endpoints' policy checks do not evaluate; each route lists its prefix.
   */
  private grantEventArchiveAccess({ bucket, access }: EventArchiveGrant, role: Role): void {
    const bucketLogicalId = Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket);
    const prefixes =
      access === 'write'
        ? [archivePrefixes.marketplace, archivePrefixes.users]
        : [access === 'read-log' ? archivePrefixes.marketplace : archivePrefixes.users];
    const objects = prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
    if (access === 'write') {
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: objects }));
    } else {
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: objects }));
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
      );
    }
    for (const prefix of prefixes) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${prefix}*]`,
        reason:
          `${access === 'write' ? 'Writes' : 'Reads'} the archive's objects under ${prefix}, named at run ` +
          'time by the positions of the events each holds; the wildcard spans only that prefix of the ' +
          `event archive, and allows s3:${access === 'write' ? 'PutObject' : 'GetObject'} alone.`,
      });
    }
  }

  private grantWorkflowAccess({ workflow, actions }: WorkflowGrant, role: Role): void {
    if (actions.includes('start')) {
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['states:StartExecution'], resources: [workflow.stateMachineArn] }),
      );
    }
    if (actions.includes('signal')) {
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
          resources: ['*'],
        }),
      );
      this.acknowledgeWildcardResource(
        'states:SendTaskSuccess and states:SendTaskFailure support no resource-level permission (the ' +
          'Service Authorization Reference lists no resource type for them), so IAM accepts only "*"; ' +
          `a call must carry a task token, and this function holds only those of ${workflow.name} tasks.`,
      );
    }
  }
}
