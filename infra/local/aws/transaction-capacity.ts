/**
 * The write capacity DynamoDB bills a TransactWriteItems call, computed from the items it touched.
 * DynamoDB Local's own figure for transactions cannot be used: it counts items of equal size once
 * (three 500-byte puts report what one does), so the benchmarks compute it here instead.
 */

/** An attribute value in DynamoDB's wire form (`{S: "…"}`, `{N: "…"}`, `{M: {…}}`, …). */
export type WireValue = Readonly<Record<string, unknown>>;
export type WireItem = Readonly<Record<string, WireValue>>;

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** A number takes about one byte per two significant digits, plus one. */
function numberSize(text: string): number {
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '');
  const significant = digits.replace(/0+$/, '').length;
  return Math.ceil(Math.max(significant, 1) / 2) + 1;
}

function valueSize(value: WireValue): number {
  const [type, content] = Object.entries(value)[0] ?? [];
  switch (type) {
    case 'S':
      return utf8Bytes(String(content));
    case 'N':
      return numberSize(String(content));
    case 'B':
      return Buffer.from(String(content), 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (content as string[]).reduce((sum, text) => sum + utf8Bytes(text), 0);
    case 'NS':
      return (content as string[]).reduce((sum, text) => sum + numberSize(text), 0);
    case 'BS':
      return (content as string[]).reduce((sum, data) => sum + Buffer.from(data, 'base64').length, 0);
    case 'L':
      return (content as WireValue[]).reduce((sum, element) => sum + valueSize(element) + 1, 3);
    case 'M':
      return 3 + itemSize(content as WireItem) + Object.keys(content as WireItem).length;
    default:
      throw new Error(`Unknown DynamoDB attribute type ${String(type)}`);
  }
}

/** An item's size as DynamoDB counts it: the UTF-8 bytes of each attribute's name and value. */
export function itemSize(item: WireItem): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8Bytes(name) + valueSize(value), 0);
}

/** One action of a transaction: the item before it and after it (absent when there is none). */
export interface TouchedItem {
  readonly before?: WireItem;
  readonly after?: WireItem;
}

const kilobyte = 1024;

/**
 * Two write units per started KB of each item touched, of the item before or after the write,
 * whichever is larger; an item checked by a ConditionCheck is counted as a write of that item.
 */
export function transactionWriteUnits(touched: readonly TouchedItem[]): number {
  return touched.reduce((sum, { before, after }) => {
    const size = Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0);
    return sum + 2 * Math.max(1, Math.ceil(size / kilobyte));
  }, 0);
}

/** Makes a call to DynamoDB Local beside the one metered; its answer, or undefined if it failed. */
export type SideCall = (
  input: Record<string, unknown>,
  operation: string,
) => Promise<Record<string, unknown> | undefined>;

type TransactAction = Readonly<
  Record<string, { readonly TableName: string; readonly Key?: WireItem; readonly Item?: WireItem }>
>;

interface Target {
  readonly kind: string;
  readonly table: string;
  readonly key: WireItem;
}

const keyAttributes = new Map<string, Promise<readonly string[]>>();

/** The table's key attribute names, asked once per table. */
function keyAttributesOf(table: string, call: SideCall): Promise<readonly string[]> {
  let names = keyAttributes.get(table);
  if (!names) {
    names = call({ TableName: table }, 'DescribeTable').then((output) => {
      const schema = (output?.Table as { KeySchema?: { AttributeName: string }[] } | undefined)?.KeySchema;
      if (!schema) throw new Error(`DynamoDB Local did not describe the table ${table}`);
      return schema.map((key) => key.AttributeName);
    });
    keyAttributes.set(table, names);
  }
  return names;
}

async function targetOf(action: TransactAction, call: SideCall): Promise<Target> {
  const [kind, body] = Object.entries(action)[0] ?? [];
  if (!kind || !body) throw new Error('A transaction action names no operation');
  const names = await keyAttributesOf(body.TableName, call);
  const key = body.Key ?? Object.fromEntries(names.map((name) => [name, body.Item?.[name] ?? {}]));
  return { kind, table: body.TableName, key };
}

const readItem = async ({ table, key }: Target, call: SideCall) =>
  (await call({ TableName: table, Key: key, ConsistentRead: true }, 'GetItem'))?.Item as WireItem | undefined;

/**
 * Reads the items a TransactWriteItems call is about to touch. Once the call succeeded,
 * `capacity()` reads them again and answers the write units DynamoDB bills for it, per table, in
 * the shape of `ConsumedCapacity`.
 */
export async function itemsTouchedBy(input: Readonly<Record<string, unknown>>, call: SideCall) {
  const actions = (input.TransactItems as readonly TransactAction[] | undefined) ?? [];
  const targets = await Promise.all(actions.map((action) => targetOf(action, call)));
  const before = await Promise.all(targets.map((target) => readItem(target, call)));
  return {
    async capacity() {
      const after = await Promise.all(
        targets.map((target, index) =>
          target.kind === 'ConditionCheck' ? before[index] : readItem(target, call),
        ),
      );
      const byTable = new Map<string, TouchedItem[]>();
      targets.forEach((target, index) => {
        const touched = byTable.get(target.table) ?? [];
        byTable.set(target.table, touched);
        touched.push({ before: before[index], after: after[index] });
      });
      return [...byTable].map(([table, touched]) => {
        const units = transactionWriteUnits(touched);
        return { TableName: table, CapacityUnits: units, WriteCapacityUnits: units };
      });
    },
  };
}
