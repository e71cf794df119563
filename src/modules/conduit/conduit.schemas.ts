import { Type } from 'typebox';

/**
 * Route schemas of the Conduit API, after the RealWorld specification. Bodies only check
 * types: blank or malformed values are the layer's rules (conduit.domain.ts), so a client
 * reads Conduit's words. Unknown fields are ignored, not refused: Conduit front ends send
 * whole objects back (a user with its token, an article with its slug).
 */
const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);

export const Errors = Type.Object(
  { errors: Type.Record(Type.String(), Type.Array(Type.String())) },
  { description: 'Conduit error body: each key (a field, or the resource: article, comment, profile, token) with its messages' },
);
export const errorResponses = { '4xx': Errors, '5xx': Errors } as const;

export const LoginBody = Type.Object({ user: Type.Object({ email: Type.Optional(Str), password: Type.Optional(Str) }) });
export const RegisterBody = Type.Object({ user: Type.Object({ username: Type.Optional(Str), email: Type.Optional(Str), password: Type.Optional(Str) }) });
export const UpdateUserBody = Type.Object({
  user: Type.Object({
    email: Type.Optional(Str),
    password: Type.Optional(Str),
    username: Type.Optional(Str),
    bio: Type.Optional(NullableStr),
    image: Type.Optional(NullableStr),
  }),
});

const Tags = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 });
export const NewArticleBody = Type.Object({
  article: Type.Object({ title: Type.Optional(Str), description: Type.Optional(Str), body: Type.Optional(Str), tagList: Type.Optional(Tags) }),
});
export const UpdateArticleBody = NewArticleBody;
export const NewCommentBody = Type.Object({ comment: Type.Object({ body: Type.Optional(Str) }) });

export const UserData = Type.Object({
  user: Type.Object({ email: Str, token: Str, username: Str, bio: NullableStr, image: NullableStr }),
});

export const Profile = Type.Object({ username: Str, bio: NullableStr, image: NullableStr, following: Type.Boolean() });
export const ProfileData = Type.Object({ profile: Profile });

const articleFields = {
  slug: Str,
  title: Str,
  description: Str,
  tagList: Type.Array(Str),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  favorited: Type.Boolean(),
  favoritesCount: Type.Integer(),
  author: Profile,
};
export const ArticleData = Type.Object({ article: Type.Object({ ...articleFields, body: Str }) });
/** Lists leave the body out, as the specification's list item does. */
export const ArticlesData = Type.Object({ articles: Type.Array(Type.Object(articleFields)), articlesCount: Type.Integer() });

const Comment = Type.Object({ id: Type.Integer(), createdAt: Type.String({ format: 'date-time' }), updatedAt: Type.String({ format: 'date-time' }), body: Str, author: Profile });
export const CommentData = Type.Object({ comment: Comment });
export const CommentsData = Type.Object({ comments: Type.Array(Comment) });
export const NoContent = Type.Null({ description: 'No content' });
export const TagsData = Type.Object({ tags: Type.Array(Str) });

const Paging = {
  offset: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,5}|1000000)$', errorMessage: 'must be an integer from 0 to 1000000' })),
  limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|100)$', errorMessage: 'must be an integer from 1 to 100' })),
};
export const ListQuery = Type.Object({
  tag: Type.Optional(Type.String({ maxLength: 64 })),
  author: Type.Optional(Type.String({ maxLength: 64 })),
  favorited: Type.Optional(Type.String({ maxLength: 64 })),
  ...Paging,
});
export const FeedQuery = Type.Object(Paging);

export const UsernameParam = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) });
export const SlugParam = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 512 }) });
export const CommentParam = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 512 }),
  id: Type.String({ pattern: '^[1-9][0-9]{0,15}$', errorMessage: 'must be a comment id' }),
});

export const paging = (query: { offset?: string; limit?: string }) => ({ offset: Number(query.offset ?? 0), limit: Number(query.limit ?? 20) });

type Security = Record<string, string[]>[];
export const tokenSecurity: Security = [{ conduitToken: [] }];
export const optionalTokenSecurity: Security = [{}, { conduitToken: [] }];
