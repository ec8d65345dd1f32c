/**
 * The ledger's accounts. Every account exists once per currency: the currency is on the
 * transaction, never in the account's name.
 *
 * Sign convention: an entry's amount is positive for a debit and negative for a credit, and an
 * account's balance is the sum of its entries' amounts. Assets (what the platform holds) are
 * debit-normal; what the platform owes or earned is credit-normal, so it reads positive once
 * turned to its owner's side with `normalBalance`.
 *
 * | Account                  | Side   | Holds                                                          |
 * | ------------------------ | ------ | -------------------------------------------------------------- |
 * | `platform:cash`          | debit  | money the platform holds at the payment provider               |
 * | `platform:disputes`      | debit  | money the card network withdrew for disputes still open        |
 * | `platform:fees`          | credit | commission earned on captured orders                           |
 * | `platform:refunds`       | debit  | commission given back with refunds and lost disputes (against  |
 * |                          |        | fees: net fee revenue is fees minus refunds)                   |
 * | `platform:transfers`     | debit  | money transferred to users' connected accounts, net of         |
 * |                          |        | reversals: the platform's side of every user's paid-out        |
 * | `user:<id>:pending`      | credit | owed to the user for orders not yet completed                  |
 * | `user:<id>:available`    | credit | owed to the user and payable now                               |
 * | `user:<id>:frozen`       | credit | the user's part of orders under dispute                        |
 * | `user:<id>:paid-out`     | credit | transferred to the user, net of reversals                      |
 *
 * A transfer moves the user's money from available to paid out and takes it out of cash; the
 * transfers account balances the second half, so `platform:transfers` always equals the sum of
 * the users' paid-out accounts. Per currency, cash + disputes = fees − refunds + every user's
 * pending + available + frozen.
 */
export const platformAccountTypes = ['cash', 'disputes', 'fees', 'refunds', 'transfers'] as const;
export type PlatformAccountType = (typeof platformAccountTypes)[number];

export const userAccountTypes = ['pending', 'available', 'frozen', 'paid-out'] as const;
export type UserAccountType = (typeof userAccountTypes)[number];

export type AccountType = PlatformAccountType | UserAccountType;
export type PlatformAccount = `platform:${PlatformAccountType}`;
export type UserAccount = `user:${string}:${UserAccountType}`;
export type Account = PlatformAccount | UserAccount;

export const platformAccount = (type: PlatformAccountType): PlatformAccount => `platform:${type}`;
export const userAccount = (userId: string, type: UserAccountType): UserAccount => `user:${userId}:${type}`;

/** Whose the account is (`platform` or `user:<userId>`) and which of theirs it is. */
export function parseAccount(account: Account): { readonly owner: string; readonly type: AccountType } {
  const lastColon = account.lastIndexOf(':');
  return { owner: account.slice(0, lastColon), type: account.slice(lastColon + 1) as AccountType };
}

export const isUserAccount = (account: Account): account is UserAccount => account.startsWith('user:');

/** The user a user account belongs to. */
export const userIdOf = (account: UserAccount) => parseAccount(account).owner.slice('user:'.length);

const debitNormalTypes: ReadonlySet<AccountType> = new Set(['cash', 'disputes', 'refunds', 'transfers']);

export const isDebitNormal = (account: Account) => debitNormalTypes.has(parseAccount(account).type);

/** A balance (the sum of entry amounts, debit positive) as its owner reads it: positive when it holds money. */
export const normalBalance = (account: Account, balance: number) =>
  isDebitNormal(account) ? balance : 0 - balance;
