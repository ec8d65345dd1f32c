import { Lazy, Stack, Validations } from 'aws-cdk-lib';
import { EbsDeviceVolumeType } from 'aws-cdk-lib/aws-ec2';
import { ArnPrincipal, Policy, PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
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

/** HTTP methods a role may use on paths of the domain (`listings/_search`, `_index_template/listings`). */
interface DomainAccess {
  readonly actions: readonly string[];
  readonly paths: readonly string[];
}

/**
 * The OpenSearch domain holding the listings index. Its resource policy and the roles' identity
 * policies both name only the roles granted here, and every request must be SigV4-signed.
 */
export class SearchDomain extends Construct {
  readonly domain: Domain;
  private readonly indexName = searchIndexName({});
  /** What the domain's resource policy lets in: exactly what allowSearch/allowIndexing grant, role by role. */
  private readonly grants: { readonly roleArn: string; readonly access: readonly DomainAccess[] }[] = [];

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
    // The domain's own policy cannot refer to the domain resource: its paths are built from its name.
    const domainPath = (path: string) =>
      Stack.of(this).formatArn({ service: 'es', resource: 'domain', resourceName: `${domainName}/${path}` });
    (this.domain.node.defaultChild as CfnDomain).accessPolicies = Lazy.any({
      produce: () =>
        new PolicyDocument({
          statements: this.grants.flatMap(({ roleArn, access }) =>
            access.map(
              ({ actions, paths }) =>
                new PolicyStatement({
                  principals: [new ArnPrincipal(roleArn)],
                  actions: [...actions],
                  resources: paths.map(domainPath),
                }),
            ),
          ),
        }).toJSON(),
    });
    this.acknowledgeFindings(capacity, zoneAware);
  }

  /** Lets `fn` run searches on the listings index, and tells it where. */
  allowSearch(fn: LambdaFunction): void {
    this.connect(fn, [{ actions: ['es:ESHttpGet', 'es:ESHttpPost'], paths: [`${this.indexName}/_search`] }]);
  }

  /**
   * Lets `fn` make the calls of `OpenSearchIndex.ensureIndex`, `upsert` and `remove` on the listings
   * index, with the methods the client sends: install its template and update its mapping (POST), create
   * it, update its settings and write its documents, tombstones included (PUT). Nothing is ever deleted.
   */
  allowIndexing(fn: LambdaFunction): void {
    const index = this.indexName;
    this.connect(fn, [
      { actions: ['es:ESHttpPost'], paths: [`_index_template/${index}`, `${index}/_mapping`] },
      { actions: ['es:ESHttpPut'], paths: [index, `${index}/_settings`, `${index}/_doc/*`] },
    ]);
    const domainLogicalId = Stack.of(this).getLogicalId(this.domain.node.defaultChild as CfnDomain);
    if (fn.role) {
      Validations.of(fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${domainLogicalId}.Arn>/${index}/_doc/*]`,
        reason: `Writes documents of the ${index} index by id; the wildcard spans only that index's documents.`,
      });
    }
  }

  /**
   * Grants `fn`'s role `access` in a policy of its own and in the domain's, and tells `fn` the domain
   * and index. Its own policy resource, not the role's inline one: the domain's policy names the role,
   * so the role itself cannot name the domain (a circular dependency).
   */
  private connect(fn: LambdaFunction, access: readonly DomainAccess[]): void {
    if (!fn.role) throw new Error('A function reaching the search domain needs an execution role');
    this.grants.push({ roleArn: fn.role.roleArn, access });
    fn.addEnvironment('OPENSEARCH_ENDPOINT', this.domain.domainEndpoint);
    fn.addEnvironment('SEARCH_INDEX', this.indexName);
    new Policy(fn, 'SearchAccess', {
      roles: [fn.role],
      statements: access.map(
        ({ actions, paths }) =>
          new PolicyStatement({
            actions: [...actions],
            resources: paths.map((path) => `${this.domain.domainArn}/${path}`),
          }),
      ),
    });
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
