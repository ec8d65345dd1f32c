import { RemovalPolicy } from 'aws-cdk-lib';

/**
 * What happens to a resource holding data when the stack deletes or replaces it: kept with
 * deletion protection, deleted without. Kept except on create (`RetainExceptOnCreate`): a failed
 * first deploy rolls back cleanly instead of leaving a resource whose taken name blocks every retry.
 */
export const dataRemovalPolicy = (deletionProtection: boolean): RemovalPolicy =>
  deletionProtection ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : RemovalPolicy.DESTROY;
