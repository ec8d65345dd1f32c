import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createControls, type PaymentSimulatorControls } from './controls.ts';
import { createRequestListener } from './server.ts';
import { Simulator } from './simulator.ts';
import type { RetryPolicy, WebhookEndpoint } from './webhook-delivery.ts';

export type { PaymentSimulatorControls } from './controls.ts';
export { testPaymentMethods } from './resources/payment-intents.ts';
export type { DeliveryAttempt, ReleaseOrder } from './webhook-delivery.ts';

export interface PaymentSimulatorOptions {
  /** 0, the default, takes a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The key clients must send; any string, e.g. `sk_test_local`. */
  readonly secretKey?: string;
  /** Where events go, signed with `secret`; without it events are only recorded. */
  readonly webhook?: WebhookEndpoint & Partial<RetryPolicy>;
  /** Delay added before every API response. */
  readonly latencyMs?: number;
}

export interface PaymentSimulator extends PaymentSimulatorControls {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly secretKey: string;
  /** The signing secret of the webhook endpoint events go to, if there is one. */
  readonly webhookSecret?: string;
  stop(): Promise<void>;
}

export const defaultSecretKey = 'sk_test_payment_simulator';

/**
 * Starts a stateful stand-in for the Stripe API that the real `stripe` SDK talks to:
 * `new Stripe(simulator.secretKey, { host: simulator.host, port: simulator.port, protocol: 'http' })`.
 */
export async function startPaymentSimulator(
  options: PaymentSimulatorOptions = {},
): Promise<PaymentSimulator> {
  if (options.webhook && !options.webhook.secret) {
    throw new Error('A webhook endpoint needs its signing secret');
  }
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  const simulator = new Simulator({
    baseUrl: url,
    secretKey: options.secretKey ?? defaultSecretKey,
    webhook: options.webhook,
    latencyMs: options.latencyMs ?? 0,
  });
  const controls = createControls(simulator);
  server.on('request', createRequestListener(simulator, controls));
  return {
    ...controls,
    url,
    host,
    port,
    secretKey: simulator.secretKey,
    ...(options.webhook ? { webhookSecret: options.webhook.secret } : {}),
    stop: async () => {
      simulator.webhooks.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The SDK keeps connections alive; they would hold `close` open.
        server.closeAllConnections();
      });
    },
  };
}
