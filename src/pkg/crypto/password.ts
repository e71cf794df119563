import argon2 from 'argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same time as a real verify, so an unknown account is not told apart by timing. */
  verifyAgainstNothing(password: string): Promise<false>;
}

/**
 * argon2id through node-argon2, which hashes on libuv's thread pool: the event loop
 * keeps serving while a hash is computed. Defaults follow OWASP (19 MiB, 2 passes).
 */
export function argon2Hasher(opts: { memoryKib: number; timeCost: number }): PasswordHasher {
  const params = { type: argon2.argon2id as 2, memoryCost: opts.memoryKib, timeCost: opts.timeCost, parallelism: 1 };
  let decoy: Promise<string> | undefined;
  return {
    hash: (password) => argon2.hash(password, params),
    verify: async (hash, password) => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false; // a malformed stored hash never logs anyone in
      }
    },
    verifyAgainstNothing: async (password) => {
      decoy ??= argon2.hash('decoy-password-never-used', params);
      await argon2.verify(await decoy, password);
      return false;
    },
  };
}
