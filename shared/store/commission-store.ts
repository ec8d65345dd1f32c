import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type CommissionRules, defaultCommissionRules } from '../domain/commission.ts';
import { commissionRulesEntity, commissionRulesKey } from './entities/commission-rules.ts';
import { saveRuleSet } from './rule-set-save.ts';

/** The rule set in force and its version, which travels as its ETag. */
export interface StoredCommissionRules {
  readonly rules: CommissionRules;
  /** 0 while no rule set was ever saved and the default rules are in force. */
  readonly version: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

/** A rule set is saved already, and the caller did not say which version it replaces. */
export class CommissionRulesExist extends Error {
  constructor(readonly version: number) {
    super(`A commission rule set is saved (version ${version}); say which version you replace.`);
    this.name = 'CommissionRulesExist';
  }
}

/** The rule set an item holds, else (no item) the default one at version 0. */
export const storedRules = (item: Record<string, unknown> | undefined): StoredCommissionRules =>
  item ? commissionRulesEntity.decode(item) : { rules: defaultCommissionRules, version: 0 };

/** The platform's commission rules: one item in the single table. See README.md beside this file. */
export class CommissionRulesStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The saved rule set, else the default one at version 0. Strongly consistent: a saved change applies at once. */
  async get(): Promise<StoredCommissionRules> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: commissionRulesKey(), ConsistentRead: true }),
    );
    return storedRules(Item);
  }

  /**
   * Replaces the rule set if it is still at `expectedVersion` (0: none saved yet). Without an
   * expected version it saves the first rule set only, and throws `CommissionRulesExist` otherwise.
   */
  async save(
    rules: CommissionRules,
    expectedVersion: number | undefined,
    updatedBy: string,
    now = new Date(),
  ): Promise<StoredCommissionRules> {
    const saved: Required<StoredCommissionRules> = {
      rules,
      version: (expectedVersion ?? 0) + 1,
      updatedAt: now.toISOString(),
      updatedBy,
    };
    await saveRuleSet(this.client, this.tableName, {
      kind: 'commission-rules',
      item: commissionRulesEntity.item(commissionRulesKey(), saved),
      expectedVersion,
      updatedAt: saved.updatedAt,
      updatedBy,
      versionOf: (current) => storedRules(current).version,
      exists: (version) => new CommissionRulesExist(version),
    });
    return saved;
  }
}
