import { join } from 'node:path';
import type { EventPattern } from '#shared/streams/event-filter.ts';
import { type Authorize, administratorOr } from './aws/authorization.ts';
import { startCognitoEndpoint } from './aws/cognito-endpoint.ts';
import { type MeteredCall, startDynamoDbGateway } from './aws/dynamodb-gateway.ts';
import { type EventBridgeEndpoint, startEventBridgeEndpoint } from './aws/eventbridge-endpoint.ts';
import type { LocalEndpoint } from './aws/json-protocol.ts';
import { functionsPath, startLambdaEndpoint } from './aws/lambda-endpoint.ts';
import { type FunctionPolicies, functionPolicies, policyAuthorizer } from './aws/role-policies.ts';
import { type S3Endpoint, startS3Endpoint } from './aws/s3-endpoint.ts';
import { type SecretsManagerEndpoint, startSecretsManagerEndpoint } from './aws/secrets-manager-endpoint.ts';
import { startServiceRouter } from './aws/service-router.ts';
import { sendEmailPath, startSesEndpoint } from './aws/ses-endpoint.ts';
import { type SqsEndpoint, startSqsEndpoint } from './aws/sqs-endpoint.ts';
import { startStepFunctionsEndpoint } from './aws/step-functions-endpoint.ts';
import {
  type CloudFormationTemplate,
  createTemplateReferences,
  type TemplateReferences,
} from './aws/template-references.ts';
import type { InvokeFunction } from './event-sources.ts';
import type { MailSink } from './mail-sink.ts';
import type { LocalUserDirectory } from './user-directory.ts';
import type { WorkflowRunner } from './workflow-runner.ts';

export interface LocalAwsServicesOptions {
  readonly template: CloudFormationTemplate;
  /** DynamoDB Local, which the functions reach through a gateway checking their grants. */
  readonly dynamoDbEndpoint: string;
  /** The table's name here, in place of the one the template would give it. */
  readonly tableName: string;
  /** Where S3 keeps its buckets. */
  readonly s3Directory: string;
  /** The one port of every service (`AWS_ENDPOINT_URL`); 0 picks a free one. */
  readonly port: number;
  /** Replaces the role policies of the template: a test taking one grant away. */
  readonly policies?: (policies: FunctionPolicies) => FunctionPolicies;
  /** The local identity's users: what the local Cognito answers. */
  readonly users: LocalUserDirectory;
  /** Where the local SES puts the mail it is given. */
  readonly mailSink: MailSink;
  /** Told of every DynamoDB call the gateway forwards, with the capacity it consumed: benchmarks. */
  readonly meterDynamoDb?: (call: MeteredCall) => void;
}

/** A call a function's role does not allow: the function (its access key), the action and the resource. */
export interface Denial {
  readonly accessKeyId: string | undefined;
  readonly action: string;
  readonly resource: string;
}

export interface LocalAwsServices {
  readonly references: TemplateReferences;
  /** `AWS_ENDPOINT_URL`, the one address of every local service, for every function and tool. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** That address. */
  readonly url: string;
  readonly sqs: SqsEndpoint;
  readonly secrets: SecretsManagerEndpoint;
  readonly s3: S3Endpoint;
  /** The event buses, their rules and archives: what each rule's targets received. */
  readonly eventBridge: EventBridgeEndpoint;
  /** Every call refused so far for want of a grant, oldest first. */
  denials(): readonly Denial[];
  /** The logical ids of the template's resources of `type`. */
  resourcesOfType(type: string): string[];
  /** Serves Step Functions for the state machines (by their name in workflows/) the runners run. */
  serveWorkflows(runners: ReadonlyMap<string, WorkflowRunner>): void;
  /** Serves Lambda's Invoke for the template's functions, each run by `invoke`; until then an invocation is refused. */
  serveFunctions(invoke: InvokeFunction): void;
  stop(): Promise<void>;
}

/**
 * The AWS services the functions call, on this machine, as the template declares them: its table
 * behind a gateway, its queues, secrets, buckets and state machines, named as the template resolves
 * here. Every call is checked against the calling function's role policy in the template.
 */
export async function startLocalAwsServices(options: LocalAwsServicesOptions): Promise<LocalAwsServices> {
  const { template } = options;
  const resourcesOfType = (type: string) =>
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId]) => logicalId);
  const endpoints: LocalEndpoint[] = [];
  // Policies name resources, so they are read once the names are known; calls arrive only later.
  let authorizePolicy: Authorize = () => {
    throw new Error('The local AWS services are not ready');
  };
  const denials: Denial[] = [];
  const authorize = administratorOr((accessKeyId, action, resource) => {
    try {
      authorizePolicy(accessKeyId, action, resource);
    } catch (error) {
      denials.push({ accessKeyId, action, resource });
      console.error(
        `${accessKeyId} may not ${action} on ${resource}: its role in the template lacks the grant`,
      );
      throw error;
    }
  });
  try {
    const sqs = await startSqsEndpoint({ authorize });
    endpoints.push(sqs);
    const secrets = await startSecretsManagerEndpoint({ authorize });
    endpoints.push(secrets);
    const s3 = await startS3Endpoint({ authorize, directory: options.s3Directory });
    endpoints.push(s3);
    const eventBridge = await startEventBridgeEndpoint({ authorize });
    endpoints.push(eventBridge);
    const cognito = await startCognitoEndpoint({ authorize, users: options.users });
    endpoints.push(cognito);
    const ses = await startSesEndpoint({ authorize, sink: options.mailSink });
    endpoints.push(ses);
    const dynamoDb = await startDynamoDbGateway({
      target: options.dynamoDbEndpoint,
      authorize,
      ...(options.meterDynamoDb ? { meter: options.meterDynamoDb } : {}),
    });
    endpoints.push(dynamoDb);
    // Filled once the runners exist; until then no function has started an execution.
    const stateMachines = new Map<string, WorkflowRunner>();
    const stepFunctions = await startStepFunctionsEndpoint({ stateMachines, authorize });
    endpoints.push(stepFunctions);
    const lambda = await startLambdaEndpoint({ authorize });
    endpoints.push(lambda);
    const router = await startServiceRouter({
      port: options.port,
      byTarget: {
        DynamoDB_20120810: dynamoDb.url,
        DynamoDBStreams_20120810: dynamoDb.url,
        AWSStepFunctions: stepFunctions.url,
        AmazonSQS: sqs.url,
        secretsmanager: secrets.url,
        AWSEvents: eventBridge.url,
        AWSCognitoIdentityProviderService: cognito.url,
      },
      byPathPrefix: { [sendEmailPath]: ses.url, [functionsPath]: lambda.url },
      otherwise: s3.url,
    });
    endpoints.unshift(router);
    const [tableId] = resourcesOfType('AWS::DynamoDB::Table');
    const references = createTemplateReferences(template, {
      names: tableId ? { [tableId]: options.tableName } : {},
      endpoints: { sqs: router.url },
    });
    const policies = functionPolicies(template, references);
    authorizePolicy = policyAuthorizer(options.policies?.(policies) ?? policies);
    for (const bucketId of resourcesOfType('AWS::S3::Bucket'))
      await s3.createBucket(references.physicalName(bucketId));
    serveEventBuses(eventBridge, template, references, resourcesOfType);
    return {
      references,
      endpoints: { AWS_ENDPOINT_URL: router.url },
      url: router.url,
      sqs,
      secrets,
      s3,
      eventBridge,
      denials: () => [...denials],
      resourcesOfType,
      serveWorkflows(runners) {
        for (const stateMachineId of resourcesOfType('AWS::StepFunctions::StateMachine')) {
          // CDK names each state machine `<stack>-<name in workflows/>`.
          const name = references.physicalName(stateMachineId);
          const runner = [...runners].find(([workflow]) => name.endsWith(`-${workflow}`))?.[1];
          if (!runner) throw new Error(`No local runner runs the state machine ${name}`);
          stateMachines.set(references.arnOf(stateMachineId), runner);
        }
      },
      serveFunctions(invoke) {
        const functionIds = resourcesOfType('AWS::Lambda::Function');
        lambda.serve(
          new Map(functionIds.map((functionId) => [references.arnOf(functionId), functionId])),
          invoke,
        );
      },
      stop: () => stopAll(endpoints),
    };
  } catch (error) {
    await stopAll(endpoints);
    throw error;
  }
}

/** The template's event buses, and the rules and archives on them, served by the local EventBridge. */
function serveEventBuses(
  eventBridge: EventBridgeEndpoint,
  template: CloudFormationTemplate,
  references: TemplateReferences,
  resourcesOfType: (type: string) => string[],
): void {
  const propertiesOf = (logicalId: string) =>
    references.resolve(template.Resources[logicalId]?.Properties ?? {}) as Record<string, unknown>;
  const busNamed = (nameOrArn: unknown) => String(nameOrArn).split('event-bus/').at(-1) ?? 'default';
  for (const busId of resourcesOfType('AWS::Events::EventBus'))
    eventBridge.addBus(references.physicalName(busId));
  for (const ruleId of resourcesOfType('AWS::Events::Rule')) {
    const rule = propertiesOf(ruleId);
    if (rule.State === 'DISABLED') continue;
    eventBridge.subscribe({
      id: ruleId,
      busName: busNamed(rule.EventBusName ?? 'default'),
      pattern: rule.EventPattern as EventPattern,
      targets: ((rule.Targets ?? []) as { Arn: string }[]).map((target) => target.Arn),
    });
  }
  for (const archiveId of resourcesOfType('AWS::Events::Archive')) {
    const archive = propertiesOf(archiveId);
    eventBridge.subscribe({
      id: archiveId,
      busName: busNamed(archive.SourceArn),
      pattern: (archive.EventPattern ?? {}) as EventPattern,
      targets: [],
    });
  }
}

async function stopAll(endpoints: readonly LocalEndpoint[]): Promise<void> {
  await Promise.all(endpoints.map((endpoint) => endpoint.stop()));
}

/** Where the local S3 keeps its buckets under the stack's data directory. */
export const s3DirectoryIn = (dataDir: string) => join(dataDir, 's3');
