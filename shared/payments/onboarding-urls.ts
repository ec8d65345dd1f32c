/** The function environment variables naming where Stripe's onboarding sends a seller back. */
export const onboardingReturnUrlVariable = 'SELLER_ONBOARDING_RETURN_URL';
export const onboardingRefreshUrlVariable = 'SELLER_ONBOARDING_REFRESH_URL';

/**
 * Where Stripe's hosted onboarding sends a seller back, under the marketplace web app's seller
 * payments page: `/return` when they leave it, `/refresh` when the link expired or was used (that
 * page asks POST /sellers/me/payments-account for a fresh link). As function environment variables.
 */
export function onboardingEnvironment(sellerPaymentsPage: string): Record<string, string> {
  if (!URL.canParse(sellerPaymentsPage)) {
    throw new Error(`The seller onboarding URL must be an absolute URL, not ${sellerPaymentsPage}`);
  }
  const base = sellerPaymentsPage.replace(/\/+$/, '');
  return {
    [onboardingReturnUrlVariable]: `${base}/return`,
    [onboardingRefreshUrlVariable]: `${base}/refresh`,
  };
}
