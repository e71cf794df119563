import { Type } from 'typebox';
import { PHONE_PATTERN } from './user.domain.js';

/**
 * Route schemas: one source for validation, TypeScript types and the OpenAPI document.
 * `errorMessage` (ajv-errors) gives each rule the sentence a person reads next to the field.
 */
const Email = Type.String({
  format: 'email',
  maxLength: 128,
  errorMessage: 'must be a valid email address (at most 128 characters)',
});

/** The original's rule: 8+ characters with a letter, a digit and a special character. */
const NewPassword = Type.String({
  minLength: 8,
  maxLength: 128,
  pattern: '^(?=.*[A-Za-z])(?=.*\\d)(?=.*[^A-Za-z\\d]).+$',
  errorMessage: 'must be 8 to 128 characters with a letter, a digit and a special character',
});

export const SignupBody = Type.Object(
  {
    email: Email,
    password: NewPassword,
    confirmPassword: Type.String({ maxLength: 128, errorMessage: 'must repeat the password' }),
  },
  { additionalProperties: false },
);

export const LoginBody = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 1, maxLength: 128, errorMessage: 'is required' }),
  },
  { additionalProperties: false },
);

export const EditBody = Type.Object(
  {
    nickname: Type.Optional(
      Type.String({ minLength: 1, maxLength: 32, pattern: '\\S', errorMessage: 'must be 1 to 32 characters, not only spaces' }),
    ),
    birthday: Type.Optional(
      Type.Union([Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' }), Type.Null()], {
        errorMessage: 'must be a date as YYYY-MM-DD',
      }),
    ),
    aboutMe: Type.Optional(Type.String({ maxLength: 1024, errorMessage: 'must be at most 1024 characters' })),
  },
  { additionalProperties: false, minProperties: 1, errorMessage: { minProperties: 'change at least one field' } },
);

const Phone = Type.String({
  maxLength: 16,
  pattern: PHONE_PATTERN,
  errorMessage: 'must be a mobile number: 11 digits starting with 1, or + and the country code',
});

export const SendLoginCodeBody = Type.Object({ phone: Phone }, { additionalProperties: false });

export const LoginSmsBody = Type.Object(
  { phone: Phone, code: Type.String({ pattern: '^\\d{6}$', errorMessage: 'must be the 6 digits of the text message' }) },
  { additionalProperties: false },
);

export const SignupData = Type.Object({ id: Type.Integer() });

export const Profile = Type.Object({
  id: Type.Integer(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  nickname: Type.String(),
  birthday: Type.Union([Type.String(), Type.Null()]),
  aboutMe: Type.String(),
  ctime: Type.Integer({ description: 'sign-up time, epoch ms' }),
});
