import { readFile } from 'node:fs/promises';

/** Where `cdk deploy` writes the stack outputs (`outputsFile` in cdk.json), relative to the checkout. */
export const defaultOutputsFile = 'cdk-outputs.json';

/** Something the operator must give: said in one line, without a stack trace. */
export class OperatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorError';
  }
}

/**
 * The output `name` of the deployed stack, from the outputs file `cdk deploy` wrote:
 * `{"Marketplace":{"ApiUrl":"…","StripeSecretArn":"…"}}`. One stack in the file must have it.
 */
export async function stackOutput(name: string, file = defaultOutputsFile): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new OperatorError(`${file} does not exist: cdk deploy writes it (outputsFile in cdk.json)`);
  }
  let stacks: unknown;
  try {
    stacks = JSON.parse(text);
  } catch {
    throw new OperatorError(`${file} is not the JSON cdk deploy writes`);
  }
  const values = Object.entries(stacks && typeof stacks === 'object' ? stacks : {}).flatMap(
    ([stack, outputs]: [string, unknown]) => {
      const value =
        outputs && typeof outputs === 'object' ? (outputs as Record<string, unknown>)[name] : undefined;
      return typeof value === 'string' ? [[stack, value] as const] : [];
    },
  );
  const [first, ...others] = values;
  if (!first) throw new OperatorError(`${file} has no stack with the output ${name}`);
  if (others.length > 0) {
    throw new OperatorError(
      `${file} has ${name} for several stacks (${values.map(([stack]) => stack).join(', ')}): say which`,
    );
  }
  return first[1];
}
