import { Lazy, Stack, Validations } from 'aws-cdk-lib';
import { EbsDeviceVolumeType } from 'aws-cdk-lib/aws-ec2';
import { ArnPrincipal, PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnResourcePolicy, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type CfnDomain, Domain, EngineVersion, TLSSecurityPolicy } from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { searchIndexName } from '#shared/search/opensearch/client.ts';
import { dataRemovalPolicy } from './removal.ts';

/** Sizing of the search domain, from CDK context; the defaults are the smallest that run. */
export interface SearchCapacity {
  readonly dataNodeInstanceType: string;
  readonly dataNodes: number;
  readonly volumeSizeGiB: number;
  readonly masterNodeInstanceType?: string;
  readonly masterNodes: number;
}

export interface SearchDomainProps {
  readonly capacity: SearchCapacity;
  readonly deletionProtection: boolean;
}

type LambdaFunction = IFunction & { addEnvironment(key: string, value: string): unknown };

/**
 * The OpenSearch domain holding the listings index. Its resource policy and the roles' identity
 * policies both name only the roles granted here, and every request must be SigV4-signed.
 */
export class SearchDomain extends Construct {
  readonly domain: Domain;
  private readonly indexName = searchIndexName({});
  /** The roles the domain's resource policy lets in: exactly those granted with allowSearch/allowIndexing. */
  private readonly trustedRoleArns: string[] = [];

  constructor(scope: Construct, id: string, { capacity, deletionProtection }: SearchDomainProps) {
    super(scope, id);
    const logGroup = (name: string) => new LogGroup(this, name, { retention: RetentionDays.ONE_MONTH });
    const slowSearchLogGroup = logGroup('SlowSearchLogs');
    const slowIndexLogGroup = logGroup('SlowIndexLogs');
    const appLogGroup = logGroup('ApplicationLogs');
    // Written as a plain CloudFormation resource: the domain's own option deploys a Lambda-backed custom resource.
    const logsPolicy = new CfnResourcePolicy(this, 'LogsPolicy', {
      policyName: `${Stack.of(this).stackName}-search-logs`,
      policyDocument: JSON.stringify(
        new PolicyDocument({
          statements: [
            new PolicyStatement({
              principals: [new ServicePrincipal('es.amazonaws.com')],
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [slowSearchLogGroup, slowIndexLogGroup, appLogGroup].map(
                (group) => group.logGroupArn,
              ),
            }),
          ],
        }).toJSON(),
      ),
    });

    const zoneAware = capacity.dataNodes >= 2;
    // Named, so its own resource policy can name it without referring to the domain resource itself.
    const domainName = `${Stack.of(this)
      .stackName.toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')}-search`.slice(0, 28);
    this.domain = new Domain(this, 'Domain', {
      domainName,
      version: EngineVersion.OPENSEARCH_2_19,
      capacity: {
        dataNodeInstanceType: capacity.dataNodeInstanceType,
        dataNodes: capacity.dataNodes,
        ...(capacity.masterNodes > 0
          ? { masterNodes: capacity.masterNodes, masterNodeInstanceType: capacity.masterNodeInstanceType }
          : {}),
        multiAzWithStandbyEnabled: false,
      },
      ebs: { volumeSize: capacity.volumeSizeGiB, volumeType: EbsDeviceVolumeType.GP3 },
      ...(zoneAware ? { zoneAwareness: { enabled: true, availabilityZoneCount: 2 } } : {}),
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: TLSSecurityPolicy.TLS_1_2,
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup,
        slowIndexLogEnabled: true,
        slowIndexLogGroup,
        appLogEnabled: true,
        appLogGroup,
      },
      suppressLogsResourcePolicy: true,
      removalPolicy: dataRemovalPolicy(deletionProtection),
    });
    this.domain.node.addDependency(logsPolicy);
    (this.domain.node.defaultChild as CfnDomain).accessPolicies = Lazy.any({
      produce: () =>
        new PolicyDocument({
          statements: [
            new PolicyStatement({
              principals: this.trustedRoleArns.map((arn) => new ArnPrincipal(arn)),
              actions: ['es:ESHttp*'],
              resources: [
                Stack.of(this).formatArn({
                  service: 'es',
                  resource: 'domain',
                  resourceName: `${domainName}/*`,
                }),
              ],
            }),
          ],
        }).toJSON(),
    });
    this.acknowledgeFindings(capacity, zoneAware);
  }

  /** Lets `fn` run searches on the listings index, and tells it where. */
  allowSearch(fn: LambdaFunction): void {
    this.connect(
      fn,
      ['es:ESHttpGet', 'es:ESHttpPost'],
      [`${this.domain.domainArn}/${this.indexName}/_search`],
    );
  }

  /** Lets `fn` create the listings index and write and delete its documents. */
  allowIndexing(fn: LambdaFunction): void {
    const index = `${this.domain.domainArn}/${this.indexName}`;
    this.connect(
      fn,
      ['es:ESHttpHead', 'es:ESHttpGet', 'es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpDelete'],
      [index, `${index}/*`],
    );
    const domainLogicalId = Stack.of(this).getLogicalId(this.domain.node.defaultChild as CfnDomain);
    if (fn.role) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${domainLogicalId}.Arn>/${this.indexName}/*]`,
        reason: `Writes and deletes documents of the ${this.indexName} index; the wildcard spans only that index's documents.`,
      });
    }
  }

  private connect(fn: LambdaFunction, actions: string[], resources: string[]): void {
    if (!fn.role) throw new Error('A function reaching the search domain needs an execution role');
    this.trustedRoleArns.push(fn.role.roleArn);
    fn.addEnvironment('OPENSEARCH_ENDPOINT', this.domain.domainEndpoint);
    fn.addEnvironment('SEARCH_INDEX', this.indexName);
    fn.addToRolePolicy(new PolicyStatement({ actions, resources }));
  }

  private acknowledgeFindings(capacity: SearchCapacity, zoneAware: boolean): void {
    const acknowledgments = [
      {
        id: 'AwsSolutions-OS1',
        reason:
          'Outside a VPC to keep an idle marketplace near zero cost (no NAT gateway or VPC endpoints); every ' +
          'request must be SigV4-signed by a role this stack grants, and only HTTPS with TLS 1.2 is accepted.',
      },
      {
        id: 'AwsSolutions-OS3',
        reason:
          'Callers are Lambda functions without fixed addresses; access is controlled by IAM (SigV4) instead ' +
          'of an IP allow list.',
      },
    ];
    if (capacity.masterNodes === 0) {
      acknowledgments.push({
        id: 'AwsSolutions-OS4',
        reason:
          'Dedicated master nodes triple the cost of a small catalog domain; set -c searchMasterNodes=3 for ' +
          'large clusters.',
      });
    }
    if (!zoneAware) {
      acknowledgments.push({
        id: 'AwsSolutions-OS7',
        reason:
          'A single data node cannot span zones; zone awareness turns on with -c searchDataNodes=2 or more. ' +
          'The index can always be rebuilt from the table (npm run reindex).',
      });
    }
    Validations.of(this.domain).acknowledge(...acknowledgments);
  }
}
