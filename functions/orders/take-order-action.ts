import { chooseAction, currentStep, recordAction } from '#shared/domain/order.ts';
import { fieldsSchema } from '#shared/domain/order-process.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { badRequest } from '#shared/http/problem.ts';
import { fieldErrors } from '#shared/http/request.ts';
import { routes } from '../routes.ts';
import { orderView, orderVisibleTo } from './order-view.ts';
import { decideAndResume } from './resume-workflow.ts';

/**
 * The party of the current step takes one of its actions: recorded on the order (with its data)
 * and handed to the waiting workflow. Wrong party: 403; not possible now: 409; nothing changes.
 */
export const handler = httpHandler(routes.takeOrderAction, async ({ params, body, caller }) => {
  const order = await orderVisibleTo(params.orderId, caller);
  const action = chooseAction(order, caller, params.action);
  const parsed = fieldsSchema(action.fields).safeParse(body.data);
  if (!parsed.success)
    throw badRequest(`${action.name} needs its data.`, fieldErrors('body.data', parsed.error));
  const decided = await decideAndResume(order.id, (current) => {
    const chosen = chooseAction(current, caller, params.action);
    const party = currentStep(current)?.party ?? '';
    return recordAction(current, { party, userId: caller.userId }, chosen, parsed.data, new Date());
  });
  return { status: 200, body: orderView(decided ?? order, caller) };
});
