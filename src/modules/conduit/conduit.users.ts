import type { Clock } from '../../pkg/clock/clock.js';
import { isUniqueViolation } from '../../pkg/db/dialect.js';
import { AppError } from '../../pkg/errors/app-error.js';
import type { FollowService } from '../follow/follow.service.js';
import { UserCodes } from '../user/user.errors.js';
import type { UserService } from '../user/user.service.js';
import type { ConduitDao } from './conduit.dao.js';
import {
  BIO_MAX,
  ConduitError,
  TAKEN,
  derivedUsername,
  emailProblem,
  imageProblem,
  passwordProblem,
  uidOfDerived,
  usernameProblem,
  type ConduitProfile,
} from './conduit.domain.js';

/** What a Conduit client may change of its user; null bio or image clears it. */
export interface UserChanges {
  email?: string;
  password?: string;
  username?: string;
  bio?: string | null;
  image?: string | null;
}

export interface ConduitUser {
  email: string;
  username: string;
  bio: string | null;
  image: string | null;
}

/** Conduit users and profiles over Webook accounts and follows (docs/conduit.md). */
export class ConduitUsers {
  constructor(
    private readonly dao: ConduitDao,
    private readonly users: UserService,
    private readonly follows: FollowService,
    private readonly clock: Clock,
  ) {}

  /** A Webook account and its username in one transaction: a taken name leaves no account behind. */
  async register(input: { username?: string; email?: string; password?: string }): Promise<number> {
    const username = input.username ?? '';
    const email = input.email ?? '';
    const password = input.password ?? '';
    rejectProblems({ username: usernameProblem(username, undefined), email: emailProblem(email), password: passwordProblem(password) });
    if ((await this.dao.uidByUsername(username)) !== undefined) throw new ConduitError(409, { username: [TAKEN] });
    const now = this.clock.now();
    const uid = await this.users.signup(email, password, password, async (tx, uid) => {
      try {
        await this.dao.insertProfile(tx, { uid, username, image: null }, now);
      } catch (err) {
        throw isUniqueViolation(err) ? new ConduitError(409, { username: [TAKEN] }) : err;
      }
    });
    // The display name Webook pages show starts as the username (a cosmetic copy: see docs/conduit.md).
    await this.users.edit(uid, { nickname: username });
    return uid;
  }

  async user(uid: number): Promise<ConduitUser> {
    const [account, row] = await Promise.all([this.users.profile(uid), this.dao.profilesOf([uid])]);
    const mine = row.get(uid);
    return { email: account.email ?? '', username: mine?.username ?? derivedUsername(uid), bio: account.aboutMe || null, image: mine?.image ?? null };
  }

  /**
   * Every field is checked before any is written, and a name someone holds is refused
   * before the transaction. Then the account's email, password and bio and the Conduit
   * profile (username, image) are written in one transaction: a taken email, or a name lost
   * to a racing rename, leaves every field as it was.
   */
  async update(uid: number, input: UserChanges): Promise<void> {
    // Settings forms send every field back; an empty password means "keep it".
    const changes = { ...input, password: input.password === '' ? undefined : input.password };
    if (Object.values(changes).every((v) => v === undefined)) throw new ConduitError(422, { user: ['must change at least one field'] });
    rejectProblems({
      username: changes.username === undefined ? null : usernameProblem(changes.username, uid),
      email: changes.email === undefined ? null : emailProblem(changes.email),
      password: changes.password === undefined ? null : passwordProblem(changes.password),
      image: changes.image ? imageProblem(changes.image) : null,
      bio: changes.bio && changes.bio.length > BIO_MAX ? `is too long (maximum is ${BIO_MAX} characters)` : null,
    });
    if (changes.username !== undefined) await this.mustBeFree(changes.username, uid);
    const profile = changes.username !== undefined || changes.image !== undefined ? await this.profileRow(uid, changes) : undefined;
    const now = this.clock.now();
    const account = {
      ...(changes.email !== undefined && { email: changes.email }),
      ...(changes.password !== undefined && { password: changes.password }),
      ...(changes.bio !== undefined && { aboutMe: changes.bio ?? '' }),
    };
    await this.users.changeAccount(
      uid,
      account,
      profile &&
        (async (tx) => {
          try {
            await this.dao.saveProfileIn(tx, profile, now);
          } catch (err) {
            throw isUniqueViolation(err) ? new ConduitError(409, { username: [TAKEN] }) : err;
          }
        }),
    );
  }

  /** The user a username names: a chosen one, or the derived `user-<id>` of someone who never chose. */
  async uidOf(username: string): Promise<number | undefined> {
    const chosen = await this.dao.uidByUsername(username);
    if (chosen !== undefined) return chosen;
    const derived = uidOfDerived(username);
    if (derived === undefined || (await this.dao.profilesOf([derived])).has(derived)) return undefined;
    return (await this.exists(derived)) ? derived : undefined;
  }

  async mustFind(username: string): Promise<number> {
    const uid = await this.uidOf(username);
    if (uid === undefined) throw new ConduitError(404, { profile: ['not found'] });
    return uid;
  }

  async profile(uid: number, viewer: number): Promise<ConduitProfile> {
    return (await this.profiles([uid], viewer)).get(uid)!;
  }

  /** Profiles of uids as viewer (0: anonymous) sees them; the viewer's followees come from the follow module's cached list. */
  async profiles(uids: number[], viewer: number): Promise<Map<number, ConduitProfile>> {
    const unique = [...new Set(uids)];
    const [rows, followees, bios] = await Promise.all([
      this.dao.profilesOf(unique),
      viewer > 0 ? this.follows.followeeIds(viewer).then((ids) => new Set(ids)) : new Set<number>(),
      Promise.all(unique.map((uid) => this.users.profile(uid).then((u) => u.aboutMe || null, () => null))),
    ]);
    return new Map(
      unique.map((uid, i) => {
        const row = rows.get(uid);
        return [uid, { username: row?.username ?? derivedUsername(uid), bio: bios[i]!, image: row?.image ?? null, following: followees.has(uid) }];
      }),
    );
  }

  /** Following yourself is refused by the follow module (422); following twice is one follow. */
  async follow(viewer: number, username: string, yes: boolean): Promise<ConduitProfile> {
    const uid = await this.mustFind(username);
    if (yes) await this.follows.follow(viewer, uid);
    else await this.follows.unfollow(viewer, uid);
    return this.profile(uid, viewer);
  }

  /** The profile row `changes` make of uid's current one. */
  private async profileRow(uid: number, changes: UserChanges) {
    const current = await this.user(uid);
    return { uid, username: changes.username ?? current.username, image: changes.image === undefined ? current.image : changes.image || null };
  }

  /** A friendly early 409; the unique index still decides a race (update). */
  private async mustBeFree(username: string, uid: number): Promise<void> {
    const holder = await this.dao.uidByUsername(username);
    if (holder !== undefined && holder !== uid) throw new ConduitError(409, { username: [TAKEN] });
  }

  private async exists(uid: number): Promise<boolean> {
    try {
      await this.users.profile(uid);
      return true;
    } catch (err) {
      if (err instanceof AppError && err.code === UserCodes.userNotFound.code) return false;
      throw err;
    }
  }
}

/** One 422 naming every field with a problem. */
function rejectProblems(problems: Record<string, string | null>): void {
  const errors = Object.fromEntries(Object.entries(problems).flatMap(([field, problem]) => (problem ? [[field, [problem]]] : [])));
  if (Object.keys(errors).length > 0) throw new ConduitError(422, errors);
}

