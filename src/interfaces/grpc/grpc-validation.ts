import { Type } from '@nestjs/common';
import { validationPipe } from '../http/shared/validation';

/** A gRPC request (or part of it) through the REST API's own DTO and pipe: the same rules, the same 400 (INVALID_ARGUMENT) details. */
export function validated<T extends object>(dto: Type<T>, plain: object): Promise<T> {
  return validationPipe.transform(plain, { type: 'body', metatype: dto, data: '' }) as Promise<T>;
}
