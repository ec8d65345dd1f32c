import type { IncomingMessage, RequestListener } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleApiRequest } from './api.ts';
import { handleControlRequest } from './control-routes.ts';
import type { PaymentSimulatorControls } from './controls.ts';
import type { SimulatorHttpRequest, SimulatorHttpResponse } from './http.ts';
import { followOnboardingLink } from './resources/accounts.ts';
import type { Simulator } from './simulator.ts';

/** Far above anything the Stripe SDK sends. */
const maxBodyBytes = 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBodyBytes) request.destroy(new Error('Request body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The stand-in for Stripe's hosted onboarding: opening an Account Link leads back to the platform. */
function onboardingPage(simulator: Simulator, token: string): SimulatorHttpResponse {
  const location = followOnboardingLink(simulator.context(), token);
  if (location === undefined) {
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Unknown onboarding link' };
  }
  return { status: 302, headers: { location }, body: '' };
}

async function respond(
  simulator: Simulator,
  controls: PaymentSimulatorControls,
  request: SimulatorHttpRequest,
): Promise<SimulatorHttpResponse> {
  const onboardingToken = /^\/_simulator\/onboarding\/(\w+)$/.exec(request.path)?.[1];
  if (onboardingToken !== undefined && request.method === 'GET') {
    return onboardingPage(simulator, onboardingToken);
  }
  if (request.path.startsWith('/_simulator/')) {
    return handleControlRequest(controls, simulator.secretKey, request);
  }
  const response = handleApiRequest(simulator, request);
  if (simulator.latencyMs > 0) await sleep(simulator.latencyMs);
  return response;
}

/** Stripe's API under `/v1`, the controls under `/_simulator`. */
export function createRequestListener(
  simulator: Simulator,
  controls: PaymentSimulatorControls,
): RequestListener {
  return async (incoming, outgoing) => {
    try {
      const url = new URL(incoming.url ?? '/', simulator.baseUrl);
      const isApiRequest = url.pathname.startsWith('/v1/');
      const response = await respond(simulator, controls, {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.search.slice(1),
        headers: incoming.headers,
        body: await readBody(incoming),
      });
      const toLose = simulator.responsesToLose;
      const matches = !toLose.request || toLose.request === `${incoming.method} ${url.pathname}`;
      if (isApiRequest && matches && toLose.count > 0) {
        toLose.count -= 1;
        incoming.socket.destroy();
        return;
      }
      outgoing.writeHead(response.status, response.headers).end(response.body);
    } catch (error) {
      const body = JSON.stringify({ error: { type: 'api_error', message: String(error) } });
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'application/json' });
      outgoing.end(body);
    }
  };
}
