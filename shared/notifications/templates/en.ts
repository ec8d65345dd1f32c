import type { LocaleTemplates } from '../template.ts';

/** English: every notification's subject, plain text and HTML body (inside the layout). */
export const en: LocaleTemplates = {
  layout: {
    footer: 'You receive this email because of your account at {{marketplace}}.',
    optional: 'You can turn off {{category}} emails in your notification preferences.',
    categories: { order_updates: 'order update', reminders: 'reminder' },
    kpis: {
      acceptanceRate: 'acceptance rate',
      medianAcceptanceSeconds: 'median time to accept',
      lateShipmentRate: 'late shipment rate',
      cancellationRate: 'cancellation rate',
      disputeRate: 'dispute rate',
      chargebackRate: 'chargeback rate',
      averageRating: 'average rating',
    },
  },
  'order-confirmed': {
    subject: 'Order {{orderId}} is confirmed',
    text: `Your order {{orderId}} is confirmed and {{money total currency}} has been charged.

{{> items}}
We will let you know when it is on its way.`,
    html: `<p>Your order <strong>{{orderId}}</strong> is confirmed and {{money total currency}} has been charged.</p>
{{> itemsHtml}}
<p>We will let you know when it is on its way.</p>`,
  },
  'order-action-needed': {
    subject: 'Order {{orderId}} is waiting for you',
    text: `Order {{orderId}} is at the step "{{step}}" and waits for you until {{date deadline}}.

{{> items}}`,
    html: `<p>Order <strong>{{orderId}}</strong> is at the step “{{step}}” and waits for you until {{date deadline}}.</p>
{{> itemsHtml}}`,
  },
  'order-shipped': {
    subject: 'Order {{orderId}} is on its way',
    text: `Your order {{orderId}} has shipped.{{#if trackingNumber}} Tracking number: {{trackingNumber}}{{#if carrier}} ({{carrier}}){{/if}}.{{/if}}

{{> items}}
Please confirm receipt once it arrives, by {{date deadline}}.`,
    html: `<p>Your order <strong>{{orderId}}</strong> has shipped.{{#if trackingNumber}} Tracking number: <strong>{{trackingNumber}}</strong>{{#if carrier}} ({{carrier}}){{/if}}.{{/if}}</p>
{{> itemsHtml}}
<p>Please confirm receipt once it arrives, by {{date deadline}}.</p>`,
  },
  'order-refunded': {
    subject: 'Refund of {{money refund currency}} for order {{orderId}}',
    text: `We refunded {{money refund currency}} of your order {{orderId}} to your card. It may take a few days to appear.`,
    html: `<p>We refunded <strong>{{money refund currency}}</strong> of your order <strong>{{orderId}}</strong> to your card. It may take a few days to appear.</p>`,
  },
  'new-order': {
    subject: 'New order {{orderId}} to accept',
    text: `You have a new order, {{orderId}}, worth {{money total currency}}.

{{> items}}
Accept or decline it by {{date deadline}}; after that it is cancelled.`,
    html: `<p>You have a new order, <strong>{{orderId}}</strong>, worth {{money total currency}}.</p>
{{> itemsHtml}}
<p>Accept or decline it by <strong>{{date deadline}}</strong>; after that it is cancelled.</p>`,
  },
  'design-requested': {
    subject: 'Design requested for order {{orderId}}',
    text: `Order {{orderId}} needs a design from you by {{date deadline}}.

{{> items}}`,
    html: `<p>Order <strong>{{orderId}}</strong> needs a design from you by <strong>{{date deadline}}</strong>.</p>
{{> itemsHtml}}`,
  },
  'step-due-soon': {
    subject: 'Reminder: order {{orderId}} is due {{date deadline}}',
    text: `Order {{orderId}} still waits for you at the step "{{step}}". It is due {{date deadline}}.`,
    html: `<p>Order <strong>{{orderId}}</strong> still waits for you at the step “{{step}}”. It is due <strong>{{date deadline}}</strong>.</p>`,
  },
  'payout-paid': {
    subject: 'Payout of {{money amount currency}} sent',
    text: `We sent you a payout of {{money amount currency}} (run {{runId}}).`,
    html: `<p>We sent you a payout of <strong>{{money amount currency}}</strong> (run {{runId}}).</p>`,
  },
  'payout-failed': {
    subject: 'Your payout of {{money amount currency}} failed',
    text: `Your payout of {{money amount currency}} (run {{runId}}) failed: {{message}}
The amount stays in your balance and goes out with the next payout once the problem is fixed.`,
    html: `<p>Your payout of <strong>{{money amount currency}}</strong> (run {{runId}}) failed: {{message}}</p>
<p>The amount stays in your balance and goes out with the next payout once the problem is fixed.</p>`,
  },
  'dispute-opened': {
    subject: 'Dispute opened on order {{orderId}}',
    text: `A {{kind}} dispute was opened on order {{orderId}}.{{#if reason}} Reason: {{reason}}{{/if}}`,
    html: `<p>A {{kind}} dispute was opened on order <strong>{{orderId}}</strong>.{{#if reason}} Reason: {{reason}}{{/if}}</p>`,
  },
  'webhook-endpoint-disabled': {
    subject: 'Webhook endpoint disabled: {{url}}',
    text: `We stopped sending events to your webhook endpoint {{url}} ({{endpointId}}): {{reason}}
Fix the receiver, then enable the endpoint again; you can redeliver what it missed.`,
    html: `<p>We stopped sending events to your webhook endpoint <strong>{{url}}</strong> ({{endpointId}}): {{reason}}</p>
<p>Fix the receiver, then enable the endpoint again; you can redeliver what it missed.</p>`,
  },
  'quality-warning': {
    subject: 'Quality warning: your {{kpi kpi}} is {{kpiValue kpi value}}',
    text: `Over the last {{windowDays}} days ({{samples}} orders), your {{kpi kpi}} is {{kpiValue kpi value}}, past the warning level of {{kpiValue kpi threshold}}.
If it reaches the marketplace's limit, your account will be acted on. See your dashboard for your numbers.`,
    html: `<p>Over the last {{windowDays}} days ({{samples}} orders), your {{kpi kpi}} is <strong>{{kpiValue kpi value}}</strong>, past the warning level of {{kpiValue kpi threshold}}.</p>
<p>If it reaches the marketplace's limit, your account will be acted on. See your dashboard for your numbers.</p>`,
  },
  'quality-limit-reached': {
    subject: 'Quality limit reached: your {{kpi kpi}} is {{kpiValue kpi value}}',
    text: `Over the last {{windowDays}} days ({{samples}} orders), your {{kpi kpi}} is {{kpiValue kpi value}}, at or past the limit of {{kpiValue kpi threshold}}.
{{#if suspend}}Your account is suspended{{else}}Your payouts are held{{/if}} until an admin has reviewed it.`,
    html: `<p>Over the last {{windowDays}} days ({{samples}} orders), your {{kpi kpi}} is <strong>{{kpiValue kpi value}}</strong>, at or past the limit of {{kpiValue kpi threshold}}.</p>
<p>{{#if suspend}}Your account is suspended{{else}}Your payouts are held{{/if}} until an admin has reviewed it.</p>`,
  },
};
