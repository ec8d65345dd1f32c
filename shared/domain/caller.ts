/** The roles a signed-in user can hold; a user may hold several. */
export const roles = ['buyer', 'seller', 'admin', 'finance'] as const;
export type Role = (typeof roles)[number];

export const isRole = (name: string): name is Role => (roles as readonly string[]).includes(name);

/** Who is asking: the signed-in user and the roles their token carries. */
export interface Caller {
  readonly userId: string;
  readonly roles: readonly Role[];
}
