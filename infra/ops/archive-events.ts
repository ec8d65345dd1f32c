import { S3Client } from '@aws-sdk/client-s3';
import { archiveFromTable } from '#shared/app/events/archive-appended.ts';
import { requiredVariable, resourceVariables } from '#shared/config/function-resources.ts';
import { S3EventArchive } from '#shared/events/archive.ts';
import { createDocumentClient, tableName } from '#shared/store/client.ts';
import { EventLogStore } from '#shared/store/event-log-store.ts';

/**
 * Archives again, from the table, the events of the log after one position up to another: after
 * the archiver's dead-letter alarm, once the failed batches' records are gone from the stream (24
 * hours), and before the events expire from the table. Reads TABLE_NAME and EVENT_ARCHIVE_BUCKET
 * (the stack outputs `TableName` and `EventArchiveBucket`), AWS_REGION and the usual AWS
 * credentials. Safe to run more than once and while the archiver runs: reads remove duplicates.
 *
 *   npm run archive-events -- --after=1200 --through=1450
 */
const positionArgument = (name: string) => {
  const value = Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 0) {
    console.error(
      `Give --after=<position> and --through=<position>, the range of positions to archive again.`,
    );
    process.exit(2);
  }
  return value;
};

const range = { after: positionArgument('after'), through: positionArgument('through') };
const client = createDocumentClient();
const s3 = new S3Client({});
const archived = await archiveFromTable(
  new EventLogStore(client, tableName()),
  new S3EventArchive(s3, requiredVariable(resourceVariables.eventArchiveBucket)),
  range,
);
console.log(`Archived ${archived} events after position ${range.after} up to ${range.through} again.`);
client.destroy();
s3.destroy();
