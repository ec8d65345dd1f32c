import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { orderVisibleTo, toOrderView } from '#shared/app/orders/order-view.ts';
import { chooseAction, currentStep, recordAction } from '#shared/domain/order.ts';
import { fieldsSchema } from '#shared/domain/order-process.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { badRequest } from '#shared/http/problem.ts';
import { fieldErrors } from '#shared/http/request.ts';
import { orderRoutes } from '../routes/orders.ts';

/**
 * The party of the current step takes one of its actions: recorded on the order (with its data),
 * from where the table's stream hands it to the waiting workflow. Wrong party: 403; not possible
 * now: 409; bad data: 400. None of them changes anything.
 */
export const handler = httpHandler(orderRoutes.takeOrderAction, async ({ params, body, caller }) => {
  const order = await orderVisibleTo(params.orderId, caller);
  const decided = await orderStore.update(
    order.id,
    (current) => {
      const action = chooseAction(current, caller, params.action);
      const data = fieldsSchema(action.fields).safeParse(body.data);
      if (!data.success)
        throw badRequest(`${action.name} needs its data.`, fieldErrors('body.data', data.error));
      const party = currentStep(current)?.party ?? '';
      return recordAction(current, { party, userId: caller.userId }, action, data.data, new Date());
    },
    { asRead: order },
  );
  return { status: 200, body: toOrderView(decided ?? order, caller) };
});
