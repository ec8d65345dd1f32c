import type { LocaleTemplates } from '../template.ts';

/** French: every notification's subject, plain text and HTML body (inside the layout). */
export const fr: LocaleTemplates = {
  layout: {
    footer: 'Vous recevez cet e-mail en raison de votre compte sur {{marketplace}}.',
    optional: 'Vous pouvez désactiver les e-mails de {{category}} dans vos préférences de notification.',
    categories: { order_updates: 'suivi de commande', reminders: 'rappel' },
    kpis: {
      acceptanceRate: 'taux d’acceptation',
      medianAcceptanceSeconds: 'délai médian d’acceptation',
      lateShipmentRate: 'taux d’expéditions en retard',
      cancellationRate: 'taux d’annulation',
      disputeRate: 'taux de litiges',
      chargebackRate: 'taux de rétrofacturations',
      averageRating: 'note moyenne',
    },
  },
  'order-confirmed': {
    subject: 'Commande {{orderId}} confirmée',
    text: `Votre commande {{orderId}} est confirmée et {{money total currency}} ont été débités.

{{> items}}
Nous vous préviendrons de son expédition.`,
    html: `<p>Votre commande <strong>{{orderId}}</strong> est confirmée et {{money total currency}} ont été débités.</p>
{{> itemsHtml}}
<p>Nous vous préviendrons de son expédition.</p>`,
  },
  'order-action-needed': {
    subject: 'La commande {{orderId}} attend votre action',
    text: `La commande {{orderId}} est à l’étape « {{step}} » et vous attend jusqu’au {{date deadline}}.

{{> items}}`,
    html: `<p>La commande <strong>{{orderId}}</strong> est à l’étape « {{step}} » et vous attend jusqu’au {{date deadline}}.</p>
{{> itemsHtml}}`,
  },
  'order-shipped': {
    subject: 'Commande {{orderId}} expédiée',
    text: `Votre commande {{orderId}} a été expédiée.{{#if trackingNumber}} Numéro de suivi : {{trackingNumber}}{{#if carrier}} ({{carrier}}){{/if}}.{{/if}}

{{> items}}
Merci de confirmer sa réception à son arrivée, avant le {{date deadline}}.`,
    html: `<p>Votre commande <strong>{{orderId}}</strong> a été expédiée.{{#if trackingNumber}} Numéro de suivi : <strong>{{trackingNumber}}</strong>{{#if carrier}} ({{carrier}}){{/if}}.{{/if}}</p>
{{> itemsHtml}}
<p>Merci de confirmer sa réception à son arrivée, avant le {{date deadline}}.</p>`,
  },
  'order-refunded': {
    subject: 'Remboursement de {{money refund currency}} pour la commande {{orderId}}',
    text: `Nous avons remboursé {{money refund currency}} de votre commande {{orderId}} sur votre carte. Le crédit peut prendre quelques jours.`,
    html: `<p>Nous avons remboursé <strong>{{money refund currency}}</strong> de votre commande <strong>{{orderId}}</strong> sur votre carte. Le crédit peut prendre quelques jours.</p>`,
  },
  'new-order': {
    subject: 'Nouvelle commande {{orderId}} à accepter',
    text: `Vous avez une nouvelle commande, {{orderId}}, d’un montant de {{money total currency}}.

{{> items}}
Acceptez-la ou refusez-la avant le {{date deadline}} ; elle sera annulée ensuite.`,
    html: `<p>Vous avez une nouvelle commande, <strong>{{orderId}}</strong>, d’un montant de {{money total currency}}.</p>
{{> itemsHtml}}
<p>Acceptez-la ou refusez-la avant le <strong>{{date deadline}}</strong> ; elle sera annulée ensuite.</p>`,
  },
  'design-requested': {
    subject: 'Conception demandée pour la commande {{orderId}}',
    text: `La commande {{orderId}} attend votre conception avant le {{date deadline}}.

{{> items}}`,
    html: `<p>La commande <strong>{{orderId}}</strong> attend votre conception avant le <strong>{{date deadline}}</strong>.</p>
{{> itemsHtml}}`,
  },
  'step-due-soon': {
    subject: 'Rappel : la commande {{orderId}} est due le {{date deadline}}',
    text: `La commande {{orderId}} vous attend toujours à l’étape « {{step}} ». Échéance : {{date deadline}}.`,
    html: `<p>La commande <strong>{{orderId}}</strong> vous attend toujours à l’étape « {{step}} ». Échéance : <strong>{{date deadline}}</strong>.</p>`,
  },
  'payout-paid': {
    subject: 'Versement de {{money amount currency}} envoyé',
    text: `Nous vous avons envoyé un versement de {{money amount currency}} (lot {{runId}}).`,
    html: `<p>Nous vous avons envoyé un versement de <strong>{{money amount currency}}</strong> (lot {{runId}}).</p>`,
  },
  'payout-failed': {
    subject: 'Échec de votre versement de {{money amount currency}}',
    text: `Votre versement de {{money amount currency}} (lot {{runId}}) a échoué : {{message}}
Le montant reste sur votre solde et partira avec le prochain versement une fois le problème résolu.`,
    html: `<p>Votre versement de <strong>{{money amount currency}}</strong> (lot {{runId}}) a échoué : {{message}}</p>
<p>Le montant reste sur votre solde et partira avec le prochain versement une fois le problème résolu.</p>`,
  },
  'dispute-opened': {
    subject: 'Litige ouvert sur la commande {{orderId}}',
    text: `Un litige ({{kind}}) a été ouvert sur la commande {{orderId}}.{{#if reason}} Motif : {{reason}}{{/if}}`,
    html: `<p>Un litige ({{kind}}) a été ouvert sur la commande <strong>{{orderId}}</strong>.{{#if reason}} Motif : {{reason}}{{/if}}</p>`,
  },
  'webhook-endpoint-disabled': {
    subject: 'Point de terminaison webhook désactivé : {{url}}',
    text: `Nous n’envoyons plus d’événements à votre point de terminaison {{url}} ({{endpointId}}) : {{reason}}
Corrigez le récepteur, puis réactivez le point de terminaison ; vous pourrez renvoyer ce qu’il a manqué.`,
    html: `<p>Nous n’envoyons plus d’événements à votre point de terminaison <strong>{{url}}</strong> ({{endpointId}}) : {{reason}}</p>
<p>Corrigez le récepteur, puis réactivez le point de terminaison ; vous pourrez renvoyer ce qu’il a manqué.</p>`,
  },
  'quality-warning': {
    subject: 'Alerte qualité : votre {{kpi kpi}} est de {{kpiValue kpi value}}',
    text: `Sur les {{windowDays}} derniers jours ({{samples}} commandes), votre {{kpi kpi}} est de {{kpiValue kpi value}}, au-delà du seuil d’alerte de {{kpiValue kpi threshold}}.
S’il atteint la limite de la place de marché, des mesures seront prises sur votre compte. Vos chiffres sont dans votre tableau de bord.`,
    html: `<p>Sur les {{windowDays}} derniers jours ({{samples}} commandes), votre {{kpi kpi}} est de <strong>{{kpiValue kpi value}}</strong>, au-delà du seuil d’alerte de {{kpiValue kpi threshold}}.</p>
<p>S’il atteint la limite de la place de marché, des mesures seront prises sur votre compte. Vos chiffres sont dans votre tableau de bord.</p>`,
  },
  'quality-limit-reached': {
    subject: 'Limite qualité atteinte : votre {{kpi kpi}} est de {{kpiValue kpi value}}',
    text: `Sur les {{windowDays}} derniers jours ({{samples}} commandes), votre {{kpi kpi}} est de {{kpiValue kpi value}}, à la limite de {{kpiValue kpi threshold}} ou au-delà.
{{#if suspend}}Votre compte est suspendu{{else}}Vos versements sont bloqués{{/if}} jusqu’à l’examen d’un administrateur.`,
    html: `<p>Sur les {{windowDays}} derniers jours ({{samples}} commandes), votre {{kpi kpi}} est de <strong>{{kpiValue kpi value}}</strong>, à la limite de {{kpiValue kpi threshold}} ou au-delà.</p>
<p>{{#if suspend}}Votre compte est suspendu{{else}}Vos versements sont bloqués{{/if}} jusqu’à l’examen d’un administrateur.</p>`,
  },
};
