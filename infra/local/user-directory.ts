import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Role } from '#shared/domain/caller.ts';

/** A user of the local identity, as the Cognito user pool would hold them. */
export interface LocalUser {
  readonly userId: string;
  readonly email: string;
  readonly roles: readonly Role[];
}

/** The address a local user gets unless the token is issued with another. */
export const defaultLocalEmail = (userId: string) => `${userId}@users.marketplace.localhost`;

/**
 * The users the local identity issued tokens to, with their addresses and groups: what the local
 * Cognito answers the functions. Kept in a file of the stack's data when it has one, so that
 * `npm run token` (another process) and the running stack share it.
 */
export class LocalUserDirectory {
  private readonly inMemory = new Map<string, LocalUser>();

  constructor(private readonly file?: string) {}

  private read(): Map<string, LocalUser> {
    if (!this.file) return this.inMemory;
    try {
      const users = JSON.parse(readFileSync(this.file, 'utf8')) as LocalUser[];
      return new Map(users.map((user) => [user.userId, user]));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
  }

  /** Adds the user, or replaces what was known of them. */
  register(user: LocalUser): void {
    const users = this.read();
    users.set(user.userId, user);
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const staging = `${this.file}.${process.pid}`;
    writeFileSync(staging, JSON.stringify([...users.values()], null, 2));
    renameSync(staging, this.file);
  }

  find(userId: string): LocalUser | undefined {
    return this.read().get(userId);
  }

  membersOf(role: string): LocalUser[] {
    return [...this.read().values()].filter((user) => (user.roles as readonly string[]).includes(role));
  }
}

export const userDirectoryFile = (dataDir: string) => join(dataDir, 'local-users.json');
