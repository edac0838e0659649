import { Type } from '@nestjs/common';
import { AsOf } from '../../application/shared/point-in-time';
import { PageRequest } from '../../application/shared/paging';
import { AsOfQueryDto, ListQueryDto, asOfOf, pageOf } from '../http/shared/common.dto';
import { validationPipe } from '../http/shared/validation';

/** A gRPC request (or part of it) through the REST API's own DTO and pipe: the same rules, the same 400 (INVALID_ARGUMENT) details. */
export function validated<T extends object>(dto: Type<T>, plain: object): Promise<T> {
  return validationPipe.transform(plain, { type: 'body', metatype: dto, data: '' }) as Promise<T>;
}

/** common.proto's IdRequest and GetRequest as they arrive (proto3: an unset field is absent). */
export type IdRequest = { id?: string };
export type GetRequest = IdRequest & { asOf?: string };

/** A GetRequest's point in time, through REST's `?asOf=` rules. */
export async function asOfIn({ asOf }: GetRequest): Promise<AsOf | null> {
  return asOfOf(await validated(AsOfQueryDto, { asOf }));
}

/** A ListRequest's page (limit, cursor), through REST's list query rules. */
export async function pageIn(request: object): Promise<PageRequest> {
  return pageOf(await validated(ListQueryDto, request));
}
