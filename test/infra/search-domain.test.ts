import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { entities } from '#shared/store/table.ts';
import { type GetAtt, streamReaderActions, synthesize, templateResources } from './template.ts';

// Resource properties only, so no function is bundled.
const template = synthesize({ deletionProtection: true, bundle: false });
const { theOnly, roleOf, statementsOfRole, actionsOf, functionServing, tableChangeConsumerOf } =
  templateResources(template);
const indexer = tableChangeConsumerOf(entities.listing);
const domain = theOnly('AWS::OpenSearchService::Domain');
const [domainId] = Object.keys(template.findResources('AWS::OpenSearchService::Domain'));

const dynamoWrites = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

type Statement = { Principal?: { AWS: GetAtt | GetAtt[] }; Action: string | string[]; Resource: unknown };

/** A CloudFormation value as text: references as `<LogicalId>` or `<LogicalId.Attribute>`. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as { Ref?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]] };
  if (intrinsic.Ref) return `<${intrinsic.Ref}>`;
  if (intrinsic['Fn::GetAtt']) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  if (intrinsic['Fn::Join']) return intrinsic['Fn::Join'][1].map(asText).join(intrinsic['Fn::Join'][0]);
  throw new Error(`Unexpected value ${JSON.stringify(value)}`);
}

/**
 * Each "METHOD path" a statement allows on the search domain, the path relative to the domain, as the
 * domain's ARN (in a role's policy) or its name (in the domain's own policy, which cannot refer to it).
 */
function domainRequests(statement: Statement): string[] {
  const domainPrefix = new RegExp(
    `^(<${domainId}\\.Arn>|arn:<AWS::Partition>:es:<AWS::Region>:<AWS::AccountId>:domain/${domain.Properties.DomainName})/`,
  );
  const paths = [statement.Resource].flat().map((resource) => {
    const arn = asText(resource);
    if (!domainPrefix.test(arn)) throw new Error(`${arn} is not a path of the search domain`);
    return arn.replace(domainPrefix, '');
  });
  return [statement.Action]
    .flat()
    .flatMap((action) => paths.map((path) => `${action.replace(/^es:ESHttp/, '').toUpperCase()} ${path}`));
}

const accessStatements = () => (domain.Properties.AccessPolicies as { Statement: Statement[] }).Statement;

/** What the domain's policy lets the role do, "METHOD path" each. */
const allowedByDomain = (roleId: string) =>
  accessStatements()
    .filter((statement) =>
      [statement.Principal?.AWS].flat().some((principal) => principal?.['Fn::GetAtt'][0] === roleId),
    )
    .flatMap(domainRequests)
    .sort();

/** What the role's own policies let it do on the search domain, "METHOD path" each. */
const allowedByRole = (roleId: string) =>
  statementsOfRole(roleId)
    .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('es:')))
    .flatMap(domainRequests)
    .sort();

describe('search domain', () => {
  it('runs OpenSearch 2 encrypted at rest and in transit, HTTPS only, with slow logs', () => {
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EngineVersion: Match.stringLikeRegexp('^OpenSearch_2\\.'),
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' },
      ClusterConfig: Match.objectLike({ InstanceType: 't3.small.search', InstanceCount: 1 }),
      LogPublishingOptions: {
        SEARCH_SLOW_LOGS: Match.objectLike({ Enabled: true }),
        INDEX_SLOW_LOGS: Match.objectLike({ Enabled: true }),
        ES_APPLICATION_LOGS: Match.objectLike({ Enabled: true }),
      },
    });
  });

  it('lets in only the search route and indexer roles', () => {
    const trusted = accessStatements().flatMap((statement) =>
      [statement.Principal?.AWS].flat().map((principal) => principal?.['Fn::GetAtt'][0]),
    );
    expect([...new Set(trusted)].sort()).toEqual(
      [roleOf(functionServing('GET /search')), roleOf(indexer.functionId)].sort(),
    );
  });

  it('lets the search route only search the listings index, in the domain policy and its own', () => {
    const searchRole = roleOf(functionServing('GET /search'));
    const searching = ['GET listings/_search', 'POST listings/_search'];
    expect(allowedByDomain(searchRole)).toEqual(searching);
    expect(allowedByRole(searchRole)).toEqual(searching);
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      AccessPolicies: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { AWS: { 'Fn::GetAtt': [searchRole, 'Arn'] } },
            Action: ['es:ESHttpGet', 'es:ESHttpPost'],
          }),
        ]),
      }),
    });
  });

  it('lets the indexer only make the calls it makes: template, index creation and update, documents', () => {
    const indexerRole = roleOf(indexer.functionId);
    const indexing = [
      'POST _index_template/listings',
      'POST listings/_mapping',
      'PUT listings',
      'PUT listings/_doc/*',
      'PUT listings/_settings',
    ];
    expect(allowedByDomain(indexerRole)).toEqual(indexing);
    expect(allowedByRole(indexerRole)).toEqual(indexing);
  });

  it('gives no other role any access to the domain, and no wildcard action', () => {
    const actions = accessStatements().flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    expect(
      actionsOf(functionServing('GET /search')).filter((action) => action.startsWith('dynamodb:')),
    ).toEqual([]);
    expect(actionsOf(indexer.functionId).filter((action) => dynamoWrites.includes(action))).toEqual([]);
  });

  it('has the indexer handed only listing changes, inserted, changed and deleted, by the fan-out', () => {
    expect(indexer).toMatchObject({
      batchSize: 100,
      filters: [
        { dynamodb: { NewImage: { entity: { S: ['Listing'] } } } },
        { dynamodb: { OldImage: { entity: { S: ['Listing'] } } } },
      ],
    });
    const readsStream = actionsOf(indexer.functionId).filter((action) =>
      (streamReaderActions as readonly string[]).includes(action),
    );
    expect(readsStream).toEqual([]);
  });
});
