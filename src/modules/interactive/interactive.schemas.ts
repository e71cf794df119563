import { Type } from 'typebox';
import { COLLECTION_NAME_MAX } from './interactive.domain.js';

const Name = Type.String({
  minLength: 1,
  maxLength: COLLECTION_NAME_MAX,
  pattern: '\\S',
  errorMessage: `must be 1 to ${COLLECTION_NAME_MAX} characters, not only spaces`,
});
const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, errorMessage: 'must be a positive integer id' });

export const CreateCollectionBody = Type.Object({ name: Name }, { additionalProperties: false });
export const RenameCollectionBody = Type.Object({ id: Id, name: Name }, { additionalProperties: false });
export const CollectionIdBody = Type.Object({ id: Id }, { additionalProperties: false });

export const CollectionData = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  count: Type.Integer({ description: 'items in the folder' }),
  ctime: Type.Integer(),
  utime: Type.Integer(),
});
