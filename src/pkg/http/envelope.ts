import { Type, type TSchema } from 'typebox';

/** Every response body is `{ code, msg, data }`; code 0 is success. */
export const Envelope = <T extends TSchema>(data: T) =>
  Type.Object({ code: Type.Integer(), msg: Type.String(), data });

export const ErrorEnvelope = Type.Object(
  {
    code: Type.Integer({ description: 'stable numeric error code, see docs/error-codes.md' }),
    msg: Type.String(),
    data: Type.Union([
      Type.Null(),
      Type.Object({ fields: Type.Record(Type.String(), Type.String()) }, { additionalProperties: true }),
    ]),
  },
  { $id: 'ErrorEnvelope' },
);

/** Every route can answer an error envelope; listed so the OpenAPI document shows it. */
export const errorResponses = {
  '4xx': Type.Ref('ErrorEnvelope'),
  '5xx': Type.Ref('ErrorEnvelope'),
} as const;

export const NoData = Type.Null();

export function ok<T>(data: T): { code: 0; msg: 'ok'; data: T } {
  return { code: 0, msg: 'ok', data };
}
