import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { requiredVariable, resourceVariables } from '#shared/config/function-resources.ts';
import { onFirstUse } from '#shared/config/on-first-use.ts';
import { EventBusPublisher } from '#shared/events/event-bus.ts';
import { traced } from '#shared/observability/tracer.ts';

/** Composition root of the marketplace's event bus, made at first use. */
export const eventBus = onFirstUse(
  () =>
    new EventBusPublisher(
      traced(new EventBridgeClient({})),
      requiredVariable(resourceVariables.eventBusName),
    ),
);
