import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { handler as driveOrderWorkflows } from '#functions/orders/drive-order-workflows.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import { correlated, currentCorrelationId } from '#shared/observability/correlation.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { count, counters } from '#shared/observability/metrics.ts';
import { moneyCallOptions } from '#shared/payments/stripe-client.ts';
import { orderEntity, orderKey } from '#shared/store/entities/order.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { fallbackAnswer as answer, defaultRouteRequest as request } from '../support/fallback-requests.ts';
import { orderAt } from '../support/order-fixture.ts';

let stdout: MockInstance<typeof process.stdout.write>;
let written: string[];
beforeEach(() => {
  written = [];
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
});
afterEach(() => stdout.mockRestore());

const emfLines = () =>
  written
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('an HTTP entry point', () => {
  it('answers the correlation id the caller sent, and counts the problem it answered by its code', async () => {
    const response = await answer(request('GET', '/nowhere', { 'x-correlation-id': 'caller-42' }));
    expect(response).toMatchObject({ statusCode: 404, headers: { 'x-correlation-id': 'caller-42' } });
    expect(emfLines()).toEqual([
      expect.objectContaining({ code: 'route_not_found', DomainErrors: 1, service: 'marketplace' }),
    ]);
  });

  it('answers the request id when no correlation id is sent', async () => {
    const response = await answer(request('GET', '/nowhere'));
    expect(response.headers?.['x-correlation-id']).toBe('request-7');
  });

  it('refuses a malformed correlation id with a problem naming the header, and answers the request id', async () => {
    const response = await answer(request('GET', '/nowhere', { 'x-correlation-id': 'not one; at all' }));
    expect(response).toMatchObject({ statusCode: 400, headers: { 'x-correlation-id': 'request-7' } });
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'headers.x-correlation-id' }],
    });
    expect(emfLines()).toEqual([expect.objectContaining({ code: 'validation_failed', DomainErrors: 1 })]);
  });
});

describe('a non-HTTP entry point', () => {
  it('writes what an invocation counted in one EMF line as it ends, and nothing when it counted nothing', async () => {
    const checkouts = eventEntryPoint(async (placed: number) => {
      for (let checkout = 0; checkout < placed; checkout++) count(counters.checkoutsPlaced);
      return placed;
    });
    await checkouts(2);
    await checkouts(0);
    const [line, ...others] = emfLines();
    expect(others).toEqual([]);
    expect(line).toMatchObject({ CheckoutsPlaced: [1, 1], service: 'marketplace' });
  });

  it('runs a workflow task as part of the correlation id of the execution that started it', async () => {
    const task = eventEntryPoint(async (_input: Record<string, unknown>) => currentCorrelationId());
    const started = { orderId: 'order-1', correlationId: 'checkout-request-7' };

    expect(await task({ orderId: 'order-1', executionInput: started })).toBe('checkout-request-7');
    expect(await task({ orderId: 'order-1', correlationId: 'own-8', executionInput: started })).toBe('own-8');
    expect(await task({ orderId: 'order-1', executionInput: { orderId: 'order-1' } })).toBeUndefined();
  });
});

describe('the order workflow driver, a stream consumer', () => {
  const sfn = mockClient(SFNClient);
  beforeEach(() => {
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({});
    vi.stubEnv(
      resourceVariables.workflowArn(orderFulfillment.name),
      'arn:aws:states:us-east-1:000000000000:stateMachine:order-fulfillment',
    );
  });
  afterEach(() => vi.unstubAllEnvs());

  it('starts the workflow of a new order with the correlation id the order was written under', async () => {
    const order = orderAt(new Date('2026-01-05T10:00:00Z'), { id: 'order-9', status: 'awaiting-payment' });
    const item = await correlated('checkout-request-1', async () =>
      orderEntity.item(orderKey(order.id), order),
    );
    expect(item.correlationId).toBe('checkout-request-1');
    expect(orderEntity.decode(item)).not.toHaveProperty('correlationId');
    const event = {
      Records: [
        {
          eventName: 'INSERT',
          dynamodb: {
            SequenceNumber: '1',
            NewImage: marshall(item, { removeUndefinedValues: true }),
          },
        },
      ],
    } as unknown as DynamoDBStreamEvent;

    expect(await driveOrderWorkflows(event)).toEqual({ batchItemFailures: [] });
    const [start] = sfn.commandCalls(StartExecutionCommand);
    expect(JSON.parse(start?.args[0].input.input ?? '{}')).toMatchObject({
      orderId: 'order-9',
      correlationId: 'checkout-request-1',
    });
  });
});

describe("Stripe's money calls", () => {
  it('carry the correlation id as a header, never in what the idempotency key covers', async () => {
    expect(moneyCallOptions('capture:c-1')).toEqual({ idempotencyKey: 'capture:c-1' });
    expect(await correlated('trail-1', async () => moneyCallOptions('capture:c-1'))).toEqual({
      idempotencyKey: 'capture:c-1',
      headers: { 'X-Correlation-Id': 'trail-1' },
    });
  });
});
