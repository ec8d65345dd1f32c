import type { App } from 'aws-cdk-lib';
import { parseOrigins } from '#shared/http/cors.ts';
import type { SearchCapacity } from './constructs/search.ts';

/** Settings given with `cdk deploy -c name=value`, each checked with a clear error. */
export interface DeploymentSettings {
  readonly deletionProtection: boolean;
  readonly corsAllowOrigins: readonly string[];
  readonly searchCapacity: SearchCapacity;
  /** Subscribed to the operators' alarm topic when given. */
  readonly alarmEmail?: string;
  /** The web app's seller payments page, where Stripe's onboarding sends sellers back. */
  readonly sellerOnboardingUrl?: string;
}

function context(app: App, name: string, fallback: string | number | boolean): string {
  return String(app.node.tryGetContext(name) ?? fallback);
}

function booleanContext(app: App, name: string, fallback: boolean): boolean {
  const value = context(app, name, fallback);
  if (value !== 'true' && value !== 'false')
    throw new Error(`Context ${name} must be true or false, got ${value}`);
  return value === 'true';
}

function countContext(app: App, name: string, fallback: number, min: number): number {
  const value = Number(context(app, name, fallback));
  if (!Number.isInteger(value) || value < min) {
    throw new Error(
      `Context ${name} must be a whole number of at least ${min}, got ${context(app, name, fallback)}`,
    );
  }
  return value;
}

export function deploymentSettings(app: App): DeploymentSettings {
  const corsAllowOrigins = parseOrigins(context(app, 'corsAllowOrigins', '*'));
  if (corsAllowOrigins.length === 0)
    throw new Error('Context corsAllowOrigins must name at least one origin');
  const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');
  if (alarmEmail !== undefined && (typeof alarmEmail !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(alarmEmail))) {
    throw new Error(`Context alarmEmail must be an email address, got ${String(alarmEmail)}`);
  }
  const sellerOnboardingUrl: unknown = app.node.tryGetContext('sellerOnboardingUrl');
  if (
    sellerOnboardingUrl !== undefined &&
    (typeof sellerOnboardingUrl !== 'string' || !/^https:\/\/[^\s/]+/.test(sellerOnboardingUrl))
  ) {
    throw new Error(`Context sellerOnboardingUrl must be an https URL, got ${String(sellerOnboardingUrl)}`);
  }
  return {
    // Protected unless said otherwise: forgetting the flag must never let a stack deletion drop the data.
    deletionProtection: booleanContext(app, 'deletionProtection', true),
    corsAllowOrigins,
    searchCapacity: {
      dataNodeInstanceType: context(app, 'searchInstanceType', 't3.small.search'),
      dataNodes: countContext(app, 'searchDataNodes', 1, 1),
      volumeSizeGiB: countContext(app, 'searchVolumeGiB', 10, 10),
      masterNodeInstanceType: context(app, 'searchMasterInstanceType', 'm6g.large.search'),
      masterNodes: countContext(app, 'searchMasterNodes', 0, 0),
    },
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(sellerOnboardingUrl ? { sellerOnboardingUrl } : {}),
  };
}
