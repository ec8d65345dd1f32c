import type { Caller } from './caller.ts';
import type { Order } from './order.ts';

/** The parties the caller is in this order; admins are the admin party of every order. */
export function partiesOf(order: Order, caller: Caller): string[] {
  const parties = Object.entries(order.parties)
    .filter(([, userId]) => userId === caller.userId)
    .map(([party]) => party);
  return caller.roles.includes('admin') ? [...parties, 'admin'] : parties;
}

export const canView = (order: Order, caller: Caller) => partiesOf(order, caller).length > 0;

/** Everyone who takes part in the order, once each. */
export const participantsOf = (order: Order): string[] => [...new Set(Object.values(order.parties))];
