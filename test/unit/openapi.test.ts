import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiFileContent } from '#functions/routes/openapi-document.ts';
import { routeList } from '#functions/routes.ts';
import { buildOpenApi } from '#shared/http/openapi.ts';

const document = buildOpenApi(routeList, { title: 'Marketplace API', version: 'test' });

describe('the generated OpenAPI document', () => {
  it('is what GET /openapi.json serves: regenerate the file with `npm run openapi` after changing a route', () => {
    const served = readFileSync(
      join(import.meta.dirname, '..', '..', 'functions', 'system', 'openapi.json'),
      'utf8',
    );
    expect(
      served === openApiFileContent(),
      'functions/system/openapi.json is stale: run npm run openapi',
    ).toBe(true);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route of the route table, with its security', () => {
    for (const route of routeList) {
      const operation = (document.paths[route.path] as Record<string, { security: unknown[] }>)[
        route.method.toLowerCase()
      ];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation?.security).toEqual(route.access === 'public' ? [] : [{ bearer: [] }]);
    }
  });

  it('names each operation once, routes sharing a function too', () => {
    const operationIds = Object.values(document.paths).flatMap((operations) =>
      Object.values(operations as Record<string, { operationId: string }>).map(
        ({ operationId }) => operationId,
      ),
    );
    expect(operationIds).toHaveLength(routeList.length);
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('references named schemas as components', () => {
    const createListing = document.paths['/listings']?.post as {
      requestBody: { content: Record<string, { schema: unknown }> };
    };
    expect(createListing.requestBody.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/NewListing',
    });
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'Problem',
        'Money',
        'NewListing',
        'Listing',
        'ListingPage',
        'SellerProfile',
        'PaymentsAccount',
        'PaymentsOnboarding',
        'BankPayoutPage',
      ]),
    );
  });

  it('documents health’s two answers, and a 503 problem on every route that needs Stripe', () => {
    type Operation = { responses: Record<string, { content: Record<string, { schema: unknown }> }> };
    const health = document.paths['/health']?.get as Operation;
    expect(health.responses[200]?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/Healthy',
    });
    expect(health.responses[503]?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/Degraded',
    });
    const checkout = document.paths['/checkouts']?.post as Operation;
    expect(checkout.responses[503]?.content['application/problem+json']?.schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    const createListing = document.paths['/listings']?.post as Operation | undefined;
    expect(createListing?.responses).toBeDefined();
    expect(createListing?.responses[503]).toBeUndefined();
  });

  it('documents the Idempotent-Replayed header on the successes of idempotent routes only', () => {
    type Operation = { responses: Record<string, { headers?: Record<string, unknown> }> };
    const checkout = document.paths['/checkouts']?.post as Operation;
    expect(checkout.responses[201]?.headers).toHaveProperty('Idempotent-Replayed');
    expect(checkout.responses[409]?.headers).toBeUndefined();
    const createListing = document.paths['/listings']?.post as Operation;
    expect(createListing.responses[201]?.headers).toBeUndefined();
  });

  it('lists every ISO 4217 currency as allowed', () => {
    const money = document.components.schemas.Money as { properties: { currency: { enum: string[] } } };
    expect(money.properties.currency.enum).toContain('JPY');
  });
});
