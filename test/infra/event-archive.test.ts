import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { eventArchiver, eventPublisher } from '#functions/routes.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import {
  expectAlarmingDeadLetters,
  privateBucketProperties,
  streamReaderActions,
  synthesize,
  templateResources,
} from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const template = synthesize({ deletionProtection: true, bundle: false });
const { resourcesOfType, resource, actionsOf, environmentOf, functionServing, statementsOfRole, roleOf } =
  templateResources(template);
const archiveBucketOf = (of: typeof template) => {
  const [bucketId, ...others] = Object.keys(of.findResources('AWS::S3::Bucket')).filter((id) =>
    id.startsWith('EventsArchive'),
  );
  if (!bucketId || others.length > 0) throw new Error('Expected one event archive bucket');
  return bucketId;
};
const bucketId = archiveBucketOf(template);
const bucketArn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
const objectsUnder = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });
const archiver = templateResources(template).streamReaderRunning(eventArchiver.handler);

/** The statements of the function's role that concern S3. */
const s3Statements = (functionId: string) =>
  statementsOfRole(roleOf(functionId)).filter((statement) =>
    [statement.Action].flat().some((action) => action.startsWith('s3:')),
  );

describe('event archive bucket', () => {
  it('is encrypted, private, owner-enforced, versioned, and drops replaced versions after 30 days', () => {
    expect(resource(bucketId).Properties).toMatchObject({
      ...privateBucketProperties,
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'ExpireReplacedVersions',
            Status: 'Enabled',
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    });
    // Events stay readable: nothing expires a current object.
    expect(JSON.stringify(resource(bucketId).Properties)).not.toContain('"ExpirationInDays"');
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is kept like the table when deletion protection is on, emptied and deleted with the stack otherwise', () => {
    expect(template.toJSON().Resources[bucketId]).toMatchObject({
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    const unprotected = synthesize({ deletionProtection: false, bundle: false });
    const unprotectedId = archiveBucketOf(unprotected);
    expect(unprotected.toJSON().Resources[unprotectedId]).toMatchObject({ DeletionPolicy: 'Delete' });
    unprotected.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: unprotectedId } });
  });

  it('is named in the outputs', () => {
    template.hasOutput('EventArchiveBucket', { Value: { Ref: bucketId } });
  });
});

describe('event archiver', () => {
  it('reads every event appended to the admins’ feed from the stream itself, a minute’s batch at a time', () => {
    expect(archiver.mapping.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 60,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { entity: { S: ['MarketplaceEvent'] } } } }) },
        ],
      },
    });
    expect(archiver.functionId).not.toBe(
      templateResources(template).tableChangeConsumerRunning(eventPublisher.handler).functionId,
    );
    expectAlarmingDeadLetters(template, archiver.deadLettersId, 'did not reach the event archive');
  });

  it('may only put objects under the two feeds’ prefixes, and reads nothing of the table but its stream', () => {
    expect(s3Statements(archiver.functionId)).toEqual([
      { Effect: 'Allow', Action: 's3:PutObject', Resource: [objectsUnder('log/'), objectsUnder('users/')] },
    ]);
    const dynamoActions = actionsOf(archiver.functionId).filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamoActions)).toEqual(new Set(streamReaderActions));
    expect(environmentOf(archiver.functionId)).toMatchObject({
      [resourceVariables.eventArchiveBucket]: { Ref: bucketId },
    });
    expect(resourceVariables.table in environmentOf(archiver.functionId)).toBe(false);
  });
});

describe('the feeds’ routes', () => {
  it.each([
    ['GET /events', 'log/'],
    ['GET /sellers/me/events', 'users/'],
  ])('%s gets only the objects under %s and lists the bucket', (routeKey, prefix) => {
    const functionId = functionServing(routeKey);
    expect(s3Statements(functionId)).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objectsUnder(prefix) },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
    ]);
    expect(
      actionsOf(functionId)
        .filter((action) => action.startsWith('dynamodb:'))
        .sort(),
    ).toEqual(['dynamodb:BatchGetItem', 'dynamodb:Query']);
    expect(environmentOf(functionId)).toMatchObject({
      [resourceVariables.eventArchiveBucket]: { Ref: bucketId },
    });
  });

  it('and the archiver are the only functions that know the archive', () => {
    const knowing = resourcesOfType('AWS::Lambda::Function')
      .filter(([functionId]) => resourceVariables.eventArchiveBucket in environmentOf(functionId))
      .map(([functionId]) => functionId)
      .sort();
    expect(knowing).toEqual(
      [archiver.functionId, functionServing('GET /events'), functionServing('GET /sellers/me/events')].sort(),
    );
    const granted = resourcesOfType('AWS::Lambda::Function').filter(([functionId]) =>
      s3Statements(functionId).some((statement) => JSON.stringify(statement.Resource).includes(bucketId)),
    );
    expect(granted.map(([functionId]) => functionId).sort()).toEqual(knowing);
  });
});
