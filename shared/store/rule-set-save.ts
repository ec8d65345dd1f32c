import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import { auditEntryPut } from './admin-audit-store.ts';
import { TransactionPlan } from './transaction.ts';

/** A rule set admins replace whole, versioned, each save audited: the commission or the quality rules. */
export interface RuleSetSave {
  readonly kind: 'commission-rules' | 'quality-rules';
  /** The rule set's item at its new version. */
  readonly item: Record<string, unknown>;
  /** The version it replaces: 0 or absent while none is saved. */
  readonly expectedVersion: number | undefined;
  readonly updatedAt: string;
  readonly updatedBy: string;
  /** The version of the item found in the way. */
  readonly versionOf: (current: Record<string, unknown> | undefined) => number;
  /** The error for a rule set saved already when the caller named no version to replace. */
  readonly exists: (currentVersion: number) => Error;
}

/**
 * Puts the rule set if it is still at the expected version (none saved, without one) and its audit
 * entry, in one transaction; a stale version is a `version_mismatch`.
 */
export async function saveRuleSet(
  client: DynamoDBDocumentClient,
  tableName: string,
  { kind, item, expectedVersion, updatedAt, updatedBy, versionOf, exists }: RuleSetSave,
): Promise<void> {
  const first = expectedVersion === undefined || expectedVersion === 0;
  const cancelled = await new TransactionPlan<'rules' | 'audit'>()
    .add('rules', {
      Put: {
        TableName: tableName,
        Item: item,
        ConditionExpression: first ? 'attribute_not_exists(PK)' : 'version = :expected',
        ...(first ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    })
    .add(
      'audit',
      auditEntryPut(tableName, {
        at: updatedAt,
        action: `${kind}.saved`,
        actor: updatedBy,
        target: { kind, id: 'rules' },
      }),
    )
    .write(client);
  const [failed] = cancelled?.failedAt('rules') ?? [];
  if (failed) {
    const currentVersion = versionOf(failed.current);
    if (expectedVersion === undefined) throw exists(currentVersion);
    throw new DomainError(
      'stale-version',
      'version_mismatch',
      `The ${kind.replace('-', ' ')} are at version ${currentVersion}, not ${expectedVersion}; read them again.`,
    );
  }
  if (cancelled) throw cancelled.unexplained();
}
