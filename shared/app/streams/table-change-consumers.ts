import * as z from 'zod';
import {
  ConfigurationError,
  requiredVariable,
  resourceVariables,
} from '#shared/config/function-resources.ts';
import { eventPatternSchema } from '#shared/streams/event-filter.ts';

const consumerSchema = z.strictObject({
  /** The consumer's handler module under functions/ (`search/index-listings`), as logs and metrics name it. */
  name: z.string().min(1),
  functionName: z.string().min(1),
  /** At most this many records in one invocation, as an event source mapping's batch size. */
  batchSize: z.number().int().min(1).max(1000),
  /** A record goes to the consumer when any of these Lambda event filter patterns matches it. */
  filters: z.array(eventPatternSchema).min(1),
});

/** A function fed the table's changes by the fan-out, as `TABLE_CHANGE_CONSUMERS` describes it. */
export type TableChangeConsumer = z.infer<typeof consumerSchema>;

const consumersSchema = z
  .array(consumerSchema)
  .min(1)
  .refine((consumers) => new Set(consumers.map(({ name }) => name)).size === consumers.length, {
    message: 'Two consumers have the same name',
  });

/** The consumers the fan-out feeds, from the JSON array CDK sets; a ConfigurationError says what is wrong. */
export function tableChangeConsumers(env: NodeJS.ProcessEnv = process.env): readonly TableChangeConsumer[] {
  const variable = resourceVariables.tableChangeConsumers;
  const text = requiredVariable(variable, env);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigurationError([variable], undefined, 'which is not JSON');
  }
  const parsed = consumersSchema.safeParse(json);
  if (!parsed.success) {
    const problem = `which is not a list of consumers: ${z.prettifyError(parsed.error)}`;
    throw new ConfigurationError([variable], undefined, problem);
  }
  return parsed.data;
}
