import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { SingleBar } from 'cli-progress';
import { allListings } from '#infra/local/table-scans.ts';
import { createOpenSearchIndex } from '#shared/search/opensearch/client.ts';
import { reindexListings } from '#shared/search/reindex.ts';
import { createDocumentClient, tableName } from '#shared/store/client.ts';

/**
 * Rebuilds the OpenSearch listings index from the table, e.g. after the indexer's dead-letter alarm.
 * Reads TABLE_NAME, OPENSEARCH_ENDPOINT and AWS_REGION (the stack outputs) and the usual AWS
 * credentials. Safe while the stream indexer runs: listing versions decide every write.
 */
if (!process.env.OPENSEARCH_ENDPOINT) {
  console.error(
    'Set TABLE_NAME, OPENSEARCH_ENDPOINT and AWS_REGION from the stack outputs. (`npm start` rebuilds its ' +
      'in-process index from the table at every start.)',
  );
  process.exit(2);
}

const client = createDocumentClient();
const table = tableName();
const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
// ItemCount is refreshed by DynamoDB about every six hours: an estimate the bar grows past if needed.
const bar = new SingleBar({
  format: 'reindex [{bar}] {value}/{total} items | {indexed} published indexed | {eta_formatted}',
});
bar.start(Table?.ItemCount ?? 0, 0, { indexed: 0 });
const result = await reindexListings(
  allListings(client, table),
  createOpenSearchIndex(),
  ({ scanned, indexed }) => {
    if (scanned > bar.getTotal()) bar.setTotal(scanned);
    bar.update(scanned, { indexed });
  },
);
bar.setTotal(result.scanned);
bar.update(result.scanned);
bar.stop();
console.log(`Read ${result.scanned} listings; ${result.indexed} published listings are in the index.`);
client.destroy();
