import { S3Client } from '@aws-sdk/client-s3';
import { resourceVariables } from '#shared/config/function-resources.ts';
import { onFirstUse } from '#shared/config/on-first-use.ts';
import { FileItemLists } from '#shared/item-lists/files.ts';
import type { ItemLists } from '#shared/item-lists/port.ts';
import { S3ItemLists } from '#shared/item-lists/s3.ts';

/** Composition root of the item lists Map states read: an S3 bucket in the cloud, a directory locally. */
function itemListsFromEnvironment(): ItemLists {
  const bucket = process.env[resourceVariables.itemListBucket];
  if (bucket) return new S3ItemLists(new S3Client({}), bucket);
  const directory = process.env.ITEM_LIST_DIRECTORY;
  if (directory) return new FileItemLists(directory);
  throw new Error('Neither ITEM_LIST_BUCKET nor ITEM_LIST_DIRECTORY is set');
}

export const itemLists = onFirstUse(itemListsFromEnvironment);
