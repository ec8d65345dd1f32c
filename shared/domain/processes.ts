import type { ProcessAction, ProcessDefinition } from './order-process.ts';

const hours = (count: number) => count * 60 * 60;
const days = (count: number) => count * hours(24);

const shipWithTracking: ProcessAction = {
  name: 'ship',
  outcome: 'next-step',
  fields: {
    trackingNumber: { type: 'text', required: true },
    carrier: { type: 'text', required: false },
  },
};

/** Seller accepts, ships with tracking, buyer confirms receipt or opens a dispute an admin settles. */
export const defaultPurchase: ProcessDefinition = {
  id: 'default-purchase',
  version: 1,
  title: 'Purchase with seller confirmation and shipping',
  providers: [],
  orderFields: {},
  captureAfter: 'accept',
  shipmentStep: 'ship',
  steps: [
    {
      name: 'accept',
      party: 'seller',
      timeoutSeconds: days(3),
      onTimeout: 'cancel-order',
      actions: [
        { name: 'accept', outcome: 'next-step', fields: {} },
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
        { name: 'confirm-receipt', outcome: 'complete-order', fields: {} },
        {
          name: 'open-dispute',
          outcome: { goTo: 'dispute' },
          fields: { reason: { type: 'text', required: true } },
        },
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
};

/**
 * Version 2: in the dispute, buyer and seller each have 5 days to make their case (statements and
 * evidence) before the admin settles; otherwise as version 1.
 */
export const defaultPurchaseV2: ProcessDefinition = {
  ...defaultPurchase,
  version: 2,
  steps: defaultPurchase.steps.map((step) =>
    step.name === 'dispute' ? { ...step, responseSeconds: { buyer: days(5), seller: days(5) } } : step,
  ),
};

/**
 * Made to order from the buyer's scan: a designer designs, the buyer approves or asks for changes,
 * a manufacturer produces and ships, the buyer confirms receipt. The payment is captured with the
 * first design: the rounds of changes that may follow have no bound, an authorisation has.
 */
export const customManufacturing: ProcessDefinition = {
  id: 'custom-manufacturing',
  version: 1,
  title: 'Custom manufacturing from a scan',
  providers: ['designer', 'manufacturer'],
  orderFields: { scanFileUrl: { type: 'url', required: true } },
  captureAfter: 'design',
  shipmentStep: 'manufacture',
  steps: [
    {
      name: 'design',
      party: 'designer',
      timeoutSeconds: days(3),
      onTimeout: 'cancel-order',
      actions: [
        {
          name: 'submit-design',
          outcome: 'next-step',
          fields: { designFileUrl: { type: 'url', required: true } },
        },
      ],
    },
    {
      name: 'approve-design',
      party: 'buyer',
      timeoutSeconds: days(3),
      onTimeout: 'next-step',
      actions: [
        { name: 'approve', outcome: 'next-step', fields: {} },
        {
          name: 'request-changes',
          outcome: { goTo: 'design' },
          fields: { comment: { type: 'text', required: true } },
        },
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
      actions: [{ name: 'confirm-receipt', outcome: 'complete-order', fields: {} }],
    },
  ],
};

/** A process version, as an order names the one it was placed with. */
export interface ProcessRef {
  readonly id: string;
  readonly version: number;
}

/**
 * Every version of every process ever shipped, oldest first. A shipped version never changes (its
 * test pins each one's content): a changed process is a new version added here, and orders placed
 * with an older one go on with it.
 */
export const shippedProcesses: readonly ProcessDefinition[] = [
  defaultPurchase,
  customManufacturing,
  defaultPurchaseV2,
];

const processKey = ({ id, version }: ProcessRef) => `${id}@${version}`;

const processVersions: ReadonlyMap<string, ProcessDefinition> = new Map(
  shippedProcesses.map((process) => [processKey(process), process]),
);

/** The processes a listing may choose, by id: the latest version of each. */
export const processCatalog: ReadonlyMap<string, ProcessDefinition> = new Map(
  shippedProcesses.map((process) => [process.id, process]),
);

export const processIds = [...processCatalog.keys()] as [string, ...string[]];

export const processRefOf = ({ id, version }: ProcessDefinition): ProcessRef => ({ id, version });

/** The process version `ref` names; every version an order can name is shipped. */
export function processOf(ref: ProcessRef): ProcessDefinition {
  const process = processVersions.get(processKey(ref));
  if (!process) throw new Error(`No process ${processKey(ref)} is shipped`);
  return process;
}
