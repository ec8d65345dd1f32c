/** Where a list of work items is kept for a Distributed Map's ItemReader (`s3:getObject`) to read. */
export interface ItemListLocation {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Lists of work items too long for a state's input (256 KB in Step Functions): written as one JSON
 * array, read back by the workflow's Map state.
 */
export interface ItemLists {
  write(key: string, items: readonly unknown[]): Promise<ItemListLocation>;
  read(location: ItemListLocation): Promise<unknown[]>;
}
