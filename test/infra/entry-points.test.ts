import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { HandlerFunction } from '#infra/constructs/handler-function.ts';
import { deploymentSettings } from '#infra/context.ts';
import { MarketplaceStack } from '#infra/marketplace-stack.ts';
import { cdkContext } from './template.ts';

const functionsDir = join(import.meta.dirname, '..', '..', 'functions');

/** Modules under functions/ that are no entry point, and why they stay there. */
const notEntryPoints = new Map([
  ['routes', 'the route table, its schemas and views'],
  ['catalog/transition-listing', 'makes the publish and unpublish entry points'],
  ['catalog/decide-invitation', 'makes the accept and decline entry points'],
]);

function modulesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(functionsDir, join(entry.parentPath, entry.name)).replace(/\.ts$/, ''));
}

describe('functions/', () => {
  it('holds entry points only: every module is the handler of a deployed function', () => {
    // With a payout schedule and a mail sender, so that the functions they add are deployed too.
    const context = {
      ...cdkContext,
      'aws:cdk:bundling-stacks': [],
      payoutSchedule: 'rate(7 days)',
      payoutScheduleCurrencies: 'EUR',
      notificationSender: 'orders@shop.example',
    };
    const app = new App({ context });
    const stack = new MarketplaceStack(app, 'Marketplace', deploymentSettings(app));
    const deployed = new Set(
      stack.node
        .findAll()
        .filter((construct) => construct instanceof HandlerFunction)
        .map((fn) => fn.handler),
    );
    const modules = modulesUnder(functionsDir).filter(
      (module) => !notEntryPoints.has(module) && !notEntryPoints.has(module.split('/')[0] ?? ''),
    );
    expect(modules.filter((module) => !deployed.has(module))).toEqual([]);
    expect([...deployed].filter((handler) => !modules.includes(handler))).toEqual([]);
  });
});
