import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  type HttpRouteIntegration,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { type CheckoutSettings, defaultCheckoutSettings } from '#shared/app/orders/checkout-settings.ts';
import { defaultWebhookSettings, type WebhookSettings } from '#shared/app/webhooks/webhook-settings.ts';
import type { FunctionResources } from '#shared/config/function-resources.ts';
import { corsPolicy } from '#shared/http/cors.ts';
import type { RouteSpec } from '#shared/http/route.ts';
import { onboardingEnvironment } from '#shared/payments/onboarding-urls.ts';
import { checkoutEnvironment, readsCheckoutSettings } from './checkout-settings.ts';
import {
  HandlerFunction,
  type QueueGrant,
  type QueueTarget,
  type WorkflowGrant,
  type WorkflowTarget,
} from './handler-function.ts';
import { type PayoutRunSettings, payoutRunEnvironment, readsPayoutSettings } from './payout-settings.ts';
import { RouteInvoker } from './route-invocation.ts';
import type { SearchDomain } from './search.ts';
import { readsWebhookSettings, webhookEnvironment } from './webhook-settings.ts';

export interface MarketplaceApiProps {
  readonly routes: readonly RouteSpec[];
  /** Handler module that answers every request no route matches (the `$default` route). */
  readonly fallbackHandler: string;
  readonly table: Table;
  readonly search: SearchDomain;
  readonly authorizer: IHttpRouteAuthorizer;
  readonly corsAllowOrigins: readonly string[];
  /** The state machines routes may declare in `uses.workflow`, found by name. */
  readonly workflows: readonly WorkflowTarget[];
  /** The queues routes may declare in `uses.queue`, found by name. */
  readonly queues?: readonly QueueTarget[];
  /** Read by the routes that declare `uses.stripe`. */
  readonly stripeSecret?: ISecret;
  /** The web app's seller payments page, where Stripe's onboarding sends sellers back. */
  readonly sellerOnboardingUrl?: string;
  /** Read by the routes that start payout runs. */
  readonly payoutRunSettings?: PayoutRunSettings;
  /** Read by the route that places checkouts; the defaults when not given. */
  readonly checkoutSettings?: CheckoutSettings;
  /** Read by the routes that declare `uses.webhookSettings`; the defaults unless given. */
  readonly webhookSettings?: WebhookSettings;
  /** Written by the routes that declare `uses.itemLists`. */
  readonly itemListBucket?: IBucket;
  /** Read by the routes that declare `uses.eventArchive`. */
  readonly eventArchive?: IBucket;
}

/** `catalog/create-listing` -> `CatalogCreateListing` */
const constructIdFor = (handler: string) =>
  handler
    .split(/[/-]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    userId: '$context.authorizer.claims.sub',
  }),
);

/** A route either demands a token or says why anyone may call it (the cdk-nag acknowledgment). */
type RouteAccess = { readonly authorizer: IHttpRouteAuthorizer } | { readonly publicBecause: string };

interface RouteTarget {
  readonly routeKey: HttpRouteKey;
  readonly handler: string;
  readonly uses: FunctionResources;
  readonly access: RouteAccess;
}

/**
 * The HTTP API: one route per route-table entry, one function per handler module (routes naming the
 * same module share it), plus the `$default` fallback.
 */
export class MarketplaceApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** The stage's access log: one line per request with its route, status and latency. */
  readonly accessLogs: LogGroup;
  private readonly table: Table;
  private readonly search: SearchDomain;
  private readonly workflows: readonly WorkflowTarget[];
  private readonly queues: readonly QueueTarget[];
  /** The integration of each handler module's function: routes naming the same module share it. */
  private readonly targets = new Map<
    string,
    { integration: HttpRouteIntegration; uses: FunctionResources }
  >();
  /** How many routes each handler module's function serves so far. */
  private readonly routesOf = new Map<string, number>();
  private readonly stripeSecret: ISecret | undefined;
  private readonly sellerOnboardingUrl: string | undefined;
  private readonly payoutRunSettings: PayoutRunSettings | undefined;
  private readonly checkoutSettings: CheckoutSettings;
  private readonly webhookSettings: WebhookSettings;
  private readonly itemListBucket: IBucket | undefined;
  private readonly eventArchive: IBucket | undefined;
  private readonly invoker: RouteInvoker;

  constructor(scope: Construct, id: string, props: MarketplaceApiProps) {
    super(scope, id);
    this.table = props.table;
    this.search = props.search;
    this.workflows = props.workflows;
    this.queues = props.queues ?? [];
    this.stripeSecret = props.stripeSecret;
    this.sellerOnboardingUrl = props.sellerOnboardingUrl;
    this.payoutRunSettings = props.payoutRunSettings;
    this.checkoutSettings = props.checkoutSettings ?? defaultCheckoutSettings;
    this.webhookSettings = props.webhookSettings ?? defaultWebhookSettings;
    this.itemListBucket = props.itemListBucket;
    this.eventArchive = props.eventArchive;
    this.invoker = new RouteInvoker(this, 'RouteInvoker');
    const cors = corsPolicy(props.corsAllowOrigins, props.routes);
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: 'marketplace',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...cors.allowOrigins],
        allowMethods: cors.allowMethods.map((method) => CorsHttpMethod[method]),
        allowHeaders: [...cors.allowHeaders],
        exposeHeaders: [...cors.exposeHeaders],
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat,
      },
      // Far below the account-wide 10,000 requests/s, so one runaway client cannot starve other APIs.
      throttle: { rateLimit: 100, burstLimit: 200 },
    });

    for (const route of props.routes) {
      this.addRoute({
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        handler: route.handler,
        uses: route.uses,
        access:
          route.access === 'public'
            ? {
                publicBecause: `${route.summary}: declared public in functions/routes.ts for anonymous visitors.`,
              }
            : { authorizer: props.authorizer },
      });
    }
    this.addRoute({
      routeKey: HttpRouteKey.DEFAULT,
      handler: props.fallbackHandler,
      uses: {},
      access: {
        publicBecause:
          'Answers only 404 or 405 for paths and methods no route takes, reading no data; a caller ' +
          'without a token must get that answer too, not a 401.',
      },
    });
  }

  private addRoute(target: RouteTarget): void {
    const id = constructIdFor(target.handler);
    const integration = this.integrationFor(id, target);
    // Routes sharing a function after its first are told apart by their count: `…Route2`.
    const routes = (this.routesOf.get(target.handler) ?? 0) + 1;
    this.routesOf.set(target.handler, routes);
    const route = new HttpRoute(this, `${id}Route${routes === 1 ? '' : routes}`, {
      httpApi: this.api,
      routeKey: target.routeKey,
      integration,
      ...('authorizer' in target.access && { authorizer: target.access.authorizer }),
    });
    if ('publicBecause' in target.access) {
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: target.access.publicBecause });
    }
  }

  private integrationFor(id: string, target: RouteTarget): HttpRouteIntegration {
    const made = this.targets.get(target.handler);
    if (made) {
      if (JSON.stringify(made.uses) !== JSON.stringify(target.uses)) {
        throw new Error(`Routes served by ${target.handler} share its function: declare the same uses`);
      }
      return made.integration;
    }
    const { function: handler } = new HandlerFunction(this, id, {
      handler: target.handler,
      ...(target.uses.table ? { tableGrant: { table: this.table, actions: target.uses.table } } : {}),
      ...(target.uses.workflow
        ? { workflowGrant: this.workflowGrant(target.handler, target.uses.workflow) }
        : {}),
      ...(target.uses.queue ? { queueGrant: this.queueGrant(target.handler, target.uses.queue) } : {}),
      ...(target.uses.stripe ? { stripeSecret: this.stripeSecretFor(target.handler) } : {}),
      ...(target.uses.itemLists ? { itemListBucket: this.itemListBucketFor(target.handler) } : {}),
      ...(target.uses.eventArchive
        ? { eventArchive: { bucket: this.eventArchiveFor(target.handler), access: target.uses.eventArchive } }
        : {}),
      environment: {
        ...(target.uses.stripe && this.sellerOnboardingUrl
          ? onboardingEnvironment(this.sellerOnboardingUrl)
          : {}),
        ...(readsPayoutSettings(target.uses)
          ? payoutRunEnvironment(this.payoutRunSettingsFor(target.handler))
          : {}),
        ...(readsCheckoutSettings(target.uses) ? checkoutEnvironment(this.checkoutSettings) : {}),
        ...(readsWebhookSettings(target.uses) ? webhookEnvironment(this.webhookSettings) : {}),
      },
    });
    if (target.uses.search) this.search.allowSearch(handler);
    const integration = this.invoker.integrationOf(`${id}Integration`, handler);
    this.targets.set(target.handler, { integration, uses: target.uses });
    return integration;
  }

  private workflowGrant(handler: string, uses: NonNullable<FunctionResources['workflow']>): WorkflowGrant {
    const workflow = this.workflows.find((candidate) => candidate.name === uses.name);
    if (!workflow) {
      throw new Error(`${handler} uses the workflow ${uses.name}, which the stack does not deploy`);
    }
    return { workflow, actions: uses.actions };
  }

  private queueGrant(handler: string, uses: NonNullable<FunctionResources['queue']>): QueueGrant {
    const target = this.queues.find((candidate) => candidate.name === uses.name);
    if (!target) throw new Error(`${handler} uses the queue ${uses.name}, which the stack does not deploy`);
    return { target, actions: uses.actions };
  }

  private payoutRunSettingsFor(handler: string): PayoutRunSettings {
    if (!this.payoutRunSettings)
      throw new Error(`${handler} starts payout runs, but the API was given no payout settings`);
    return this.payoutRunSettings;
  }

  private itemListBucketFor(handler: string): IBucket {
    if (!this.itemListBucket)
      throw new Error(`${handler} writes item lists, but the API was given no item-list bucket`);
    return this.itemListBucket;
  }

  private eventArchiveFor(handler: string): IBucket {
    if (!this.eventArchive)
      throw new Error(`${handler} reads the event archive, but the API was given no event archive`);
    return this.eventArchive;
  }

  private stripeSecretFor(handler: string): ISecret {
    if (!this.stripeSecret)
      throw new Error(`${handler} calls Stripe, but the API was given no Stripe secret`);
    return this.stripeSecret;
  }
}
