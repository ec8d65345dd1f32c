import { defineProcess, type ProcessDefinition, type ProcessInput } from './order-process.ts';

const hours = (count: number) => count * 60 * 60;
const days = (count: number) => count * hours(24);

const shipWithTracking: ProcessInput['steps'][number]['actions'][number] = {
  name: 'ship',
  outcome: 'next-step',
  fields: { trackingNumber: { type: 'text' }, carrier: { type: 'text', required: false } },
};

/** Seller accepts, ships with tracking, buyer confirms receipt or opens a dispute an admin settles. */
export const defaultPurchase = defineProcess({
  id: 'default-purchase',
  version: 1,
  title: 'Purchase with seller confirmation and shipping',
  captureAfter: 'accept',
  shipmentStep: 'ship',
  steps: [
    {
      name: 'accept',
      party: 'seller',
      timeoutSeconds: days(3),
      onTimeout: 'cancel-order',
      actions: [
        { name: 'accept', outcome: 'next-step' },
        { name: 'decline', outcome: 'cancel-order', fields: { reason: { type: 'text', required: false } } },
      ],
    },
    {
      name: 'ship',
      party: 'seller',
      timeoutSeconds: days(7),
      onTimeout: 'cancel-order',
      actions: [shipWithTracking],
    },
    {
      name: 'receive',
      party: 'buyer',
      timeoutSeconds: days(14),
      onTimeout: 'complete-order',
      actions: [
        { name: 'confirm-receipt', outcome: 'complete-order' },
        { name: 'open-dispute', outcome: { goTo: 'dispute' }, fields: { reason: { type: 'text' } } },
      ],
    },
    {
      name: 'dispute',
      party: 'admin',
      timeoutSeconds: days(30),
      onTimeout: 'complete-order',
      actions: [
        {
          name: 'release-to-seller',
          outcome: 'complete-order',
          fields: { note: { type: 'text', required: false } },
        },
        {
          name: 'refund-buyer',
          outcome: 'cancel-order',
          fields: { note: { type: 'text', required: false } },
        },
      ],
    },
  ],
});

/**
 * Made to order from the buyer's scan: a designer designs, the buyer approves or asks for changes,
 * a manufacturer produces and ships, the buyer confirms receipt. The payment is captured with the
 * first design: the rounds of changes that may follow have no bound, an authorisation has.
 */
export const customManufacturing = defineProcess({
  id: 'custom-manufacturing',
  version: 1,
  title: 'Custom manufacturing from a scan',
  providers: ['designer', 'manufacturer'],
  orderFields: { scanFileUrl: { type: 'url' } },
  captureAfter: 'design',
  shipmentStep: 'manufacture',
  steps: [
    {
      name: 'design',
      party: 'designer',
      timeoutSeconds: days(3),
      onTimeout: 'cancel-order',
      actions: [{ name: 'submit-design', outcome: 'next-step', fields: { designFileUrl: { type: 'url' } } }],
    },
    {
      name: 'approve-design',
      party: 'buyer',
      timeoutSeconds: days(3),
      onTimeout: 'next-step',
      actions: [
        { name: 'approve', outcome: 'next-step' },
        { name: 'request-changes', outcome: { goTo: 'design' }, fields: { comment: { type: 'text' } } },
      ],
    },
    {
      name: 'manufacture',
      party: 'manufacturer',
      timeoutSeconds: days(14),
      onTimeout: 'cancel-order',
      actions: [shipWithTracking],
    },
    {
      name: 'receive',
      party: 'buyer',
      timeoutSeconds: days(14),
      onTimeout: 'complete-order',
      actions: [{ name: 'confirm-receipt', outcome: 'complete-order' }],
    },
  ],
});

/** The processes a listing may choose, by id. Orders keep a copy of the version they started with. */
export const processCatalog: ReadonlyMap<string, ProcessDefinition> = new Map(
  [defaultPurchase, customManufacturing].map((process) => [process.id, process]),
);

export const processIds = [...processCatalog.keys()] as [string, ...string[]];
