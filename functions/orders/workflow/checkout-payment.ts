import { orderStore } from '../../stores.ts';

/** Whether the provider has authorised the checkout's payment (recorded at checkout, or by its webhook). */
export async function checkoutPaymentAuthorised(checkoutId: string): Promise<boolean> {
  return (await orderStore.getCheckout(checkoutId))?.payment?.status === 'authorised';
}
