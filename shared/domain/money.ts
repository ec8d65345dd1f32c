/**
 * Money is an integer amount of the currency's minor unit (cents for EUR, yen for JPY) plus its
 * ISO 4217 code. Amounts of different currencies are never combined.
 */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

const twoDecimalCurrencies = `AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP
  BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP
  GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD
  MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB
  SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU
  UZS VED VES WST XCD XCG YER ZAR ZMW ZWG`;
const zeroDecimalCurrencies = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const threeDecimalCurrencies = 'BHD IQD JOD KWD LYD OMR TND';
const fourDecimalCurrencies = 'CLF UYW';

function codes(list: string): string[] {
  return list.split(/\s+/).filter(Boolean);
}

/** ISO 4217 active currency codes mapped to the number of decimals of their minor unit. */
export const minorUnitDecimals: ReadonlyMap<string, number> = new Map([
  ...codes(twoDecimalCurrencies).map((code) => [code, 2] as const),
  ...codes(zeroDecimalCurrencies).map((code) => [code, 0] as const),
  ...codes(threeDecimalCurrencies).map((code) => [code, 3] as const),
  ...codes(fourDecimalCurrencies).map((code) => [code, 4] as const),
]);

export const currencyCodes = [...minorUnitDecimals.keys()] as [string, ...string[]];

/** The largest amount accepted anywhere: far above any real price, far below 2^53. */
export const maxAmount = 1_000_000_000_000;

/** The sum of amounts in minor units of one currency. */
export const sumOf = (amounts: readonly number[]) => amounts.reduce((total, amount) => total + amount, 0);
