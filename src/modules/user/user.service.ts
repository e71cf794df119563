import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../pkg/clock/clock.js';
import type { PasswordHasher } from '../../pkg/crypto/password.js';
import { isUniqueViolation } from '../../pkg/db/dialect.js';
import { AppError } from '../../pkg/errors/app-error.js';
import { isPlausibleBirthday, normaliseEmail, normalisePhone, type ProfileEdit, type User } from './user.domain.js';
import { UserCodes } from './user.errors.js';
import type { Identity } from './user.identity.dao.js';
import type { UserRepository } from './user.repository.js';

/** Accounts: sign up, prove a password, read and edit a profile. Knows nothing of HTTP or tokens. */
export class UserService {
  constructor(
    private readonly repo: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /**
   * The database's unique index decides a race between two signups with one email.
   * `also` runs in the new user's transaction (another module's row that belongs to the
   * account, e.g. a Conduit username): if it throws, no account is left behind.
   */
  async signup(email: string, password: string, confirmPassword: string, also?: (tx: Kysely<DB>, uid: number) => Promise<void>): Promise<number> {
    if (password !== confirmPassword) {
      throw new AppError(UserCodes.passwordMismatch, { fields: { confirmPassword: UserCodes.passwordMismatch.msg } });
    }
    const passwordHash = await this.hasher.hash(password);
    try {
      return await this.repo.create({ email: normaliseEmail(email), passwordHash, phone: null }, this.clock.now(), also);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError(UserCodes.emailTaken, { fields: { email: UserCodes.emailTaken.msg } });
      throw err;
    }
  }

  /** One answer, in the same time, whether the email is unknown or the password wrong. */
  async login(email: string, password: string): Promise<User> {
    const user = await this.repo.findByEmail(normaliseEmail(email));
    const ok = user?.passwordHash
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher.verifyAgainstNothing(password);
    if (!user || !ok) throw new AppError(UserCodes.wrongCredentials);
    return user;
  }

  /**
   * The user behind a phone that just proved itself with a code; the first time, a new
   * account with that phone and no email or password. Two first logins racing (two
   * instances, two devices) meet at the unique index: the loser reads the winner's row.
   */
  async findOrCreateByPhone(phone: string): Promise<User> {
    const normalised = normalisePhone(phone);
    const existing = await this.repo.findByPhone(normalised);
    if (existing) return existing;
    try {
      const id = await this.repo.create({ email: null, passwordHash: null, phone: normalised }, this.clock.now());
      return await this.profile(id);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.repo.findByPhone(normalised);
      if (!winner) throw err;
      return winner;
    }
  }

  /**
   * The user behind an identity a provider just vouched for; the first time, a new
   * account. Racing first logins with one identity meet at its primary key: the loser's
   * transaction rolls back (its user with it) and it reads the winner's.
   */
  async findOrCreateByIdentity(identity: Identity): Promise<User> {
    const known = await this.repo.findUserIdByIdentity(identity);
    if (known !== undefined) return this.profile(known);
    try {
      return await this.profile(await this.repo.createWithIdentity(identity, this.clock.now()));
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.repo.findUserIdByIdentity(identity);
      if (winner === undefined) throw err;
      return this.profile(winner);
    }
  }

  async profile(uid: number): Promise<User> {
    const user = await this.repo.findById(uid);
    if (!user) throw new AppError(UserCodes.userNotFound);
    return user;
  }

  /**
   * The name other people see: the nickname, or "user <id>" while there is none (the
   * email and phone are private). Unknown ids get the fallback too: an author's name
   * must never break a reader's page.
   */
  async displayName(uid: number): Promise<string> {
    return nameOf(uid, await this.repo.findById(uid));
  }

  /** displayName when the user is held in this process (Cache.held); undefined when only the async one can tell. */
  heldDisplayName(uid: number): string | undefined {
    const user = this.repo.heldById(uid);
    return user && nameOf(uid, user);
  }

  /**
   * Email, password and about-me at once, with `also` (another module's row of the same
   * account) in the same transaction: a taken email, or a failure in `also`, changes
   * nothing. The caller has checked the password's strength; live sessions stay as they are.
   */
  async changeAccount(uid: number, change: { email?: string; password?: string; aboutMe?: string }, also?: (tx: Kysely<DB>) => Promise<void>): Promise<void> {
    const passwordHash = change.password === undefined ? undefined : await this.hasher.hash(change.password); // before the transaction: hashing takes a while
    const row = {
      ...(change.email !== undefined && { email: normaliseEmail(change.email) }),
      ...(passwordHash !== undefined && { passwordHash }),
      ...(change.aboutMe !== undefined && { aboutMe: change.aboutMe }),
    };
    try {
      if (!(await this.repo.updateAccount(uid, row, this.clock.now(), also))) throw new AppError(UserCodes.userNotFound);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError(UserCodes.emailTaken, { fields: { email: UserCodes.emailTaken.msg } });
      throw err;
    }
  }

  async edit(uid: number, edit: ProfileEdit): Promise<void> {
    const now = this.clock.now();
    if (edit.birthday && !isPlausibleBirthday(edit.birthday, now)) {
      throw new AppError(UserCodes.badBirthday, { fields: { birthday: UserCodes.badBirthday.msg } });
    }
    const clean: ProfileEdit = {
      ...(edit.nickname !== undefined && { nickname: edit.nickname.trim() }),
      ...(edit.birthday !== undefined && { birthday: edit.birthday || null }),
      ...(edit.aboutMe !== undefined && { aboutMe: edit.aboutMe }),
    };
    if (!(await this.repo.updateProfile(uid, clean, now))) throw new AppError(UserCodes.userNotFound);
  }
}

const nameOf = (uid: number, user: User | undefined): string => user?.nickname || `user ${uid}`;
