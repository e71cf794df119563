import { Type } from 'typebox';
import { STATE_PATTERN } from './oauth2.state.js';

export const AuthUrlData = Type.Object({ url: Type.String({ description: 'send the browser here; the state is also in a cookie' }) });

export const CallbackQuery = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 512, pattern: '^[A-Za-z0-9._~-]+$', errorMessage: 'must be the code the provider sent back' }),
    state: Type.String({ pattern: STATE_PATTERN, errorMessage: 'must be the state of the authorize URL' }),
  },
  // Providers may add their own parameters (WeChat does); only ours are read.
  { additionalProperties: true },
);
