import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { onFirstUse } from '#shared/config/on-first-use.ts';
import { traced } from '#shared/observability/tracer.ts';
import { createDocumentClient, tableName } from '#shared/store/client.ts';

/**
 * Composition root of the stores, one module per store so that a function bundles only the stores
 * it uses: each made at its first use in a container, then reused by every invocation.
 */
export const documentClient = onFirstUse(() => traced(createDocumentClient()));

/** A store of the marketplace table, made at its first use. */
export const tableStore = <S extends object>(
  Store: new (client: DynamoDBDocumentClient, table: string) => S,
): S => onFirstUse(() => new Store(documentClient, tableName()));
