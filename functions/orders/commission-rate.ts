/** The platform's commission in basis points of each line, `COMMISSION_RATE_BPS` (default 10 %). */
export const commissionRateBps = (() => {
  const configured = process.env.COMMISSION_RATE_BPS ?? '1000';
  if (!/^\d{1,5}$/.test(configured) || Number(configured) > 10_000) {
    throw new Error(`COMMISSION_RATE_BPS must be 0 to 10000 basis points, not ${configured}`);
  }
  return Number(configured);
})();
