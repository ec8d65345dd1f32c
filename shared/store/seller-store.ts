import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import { type SellerProfile, type SellerProfileContent, sellerProfileNotFound } from '../domain/seller.ts';
import { conditionalWrite } from './conditional.ts';
import { sellerProfileEntity, sellerProfileKey } from './entities/seller-profile.ts';

const toProfile = (item: Record<string, unknown>) => sellerProfileEntity.decode(item);

/** Seller profiles in the single table. See README.md beside this file. */
export class SellerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(sellerId: string): Promise<SellerProfile | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: sellerProfileKey(sellerId) }),
    );
    return Item ? toProfile(Item) : undefined;
  }

  async create(sellerId: string, content: SellerProfileContent, now = new Date()): Promise<SellerProfile> {
    const timestamp = now.toISOString();
    const profile: SellerProfile = {
      ...content,
      sellerId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    await conditionalWrite(
      () =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: sellerProfileEntity.item(sellerProfileKey(sellerId), profile),
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      () => {
        throw new DomainError(
          'conflict',
          'seller_profile_exists',
          'Your seller profile exists; send If-Match with its ETag to update it.',
        );
      },
    );
    return profile;
  }

  /** Replaces the profile's content if it is still at `expectedVersion`. */
  async update(
    sellerId: string,
    expectedVersion: number,
    content: SellerProfileContent,
    now = new Date(),
  ): Promise<SellerProfile> {
    const { Attributes } = await conditionalWrite(
      () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: sellerProfileKey(sellerId),
            UpdateExpression:
              'SET displayName = :displayName, country = :country, defaultCurrency = :currency, version = version + :one, updatedAt = :now',
            ConditionExpression: 'attribute_exists(PK) AND version = :expected',
            ExpressionAttributeValues: {
              ':displayName': content.displayName,
              ':country': content.country,
              ':currency': content.defaultCurrency,
              ':one': 1,
              ':now': now.toISOString(),
              ':expected': expectedVersion,
            },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      (current) => {
        if (!current) throw sellerProfileNotFound();
        throw new DomainError(
          'stale-version',
          'version_mismatch',
          `The profile is at version ${toProfile(current).version}, not ${expectedVersion}; read it again.`,
        );
      },
    );
    return toProfile(Attributes ?? {});
  }
}
