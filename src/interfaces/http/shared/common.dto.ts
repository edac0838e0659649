import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { AsOf, parseAsOf } from '../../../application/shared/point-in-time';
import { PageRequest, isPageCursor } from '../../../application/shared/paging';

/** Names: a letter or digit first, then letters, digits, space, dot, dash, underscore; no control characters. */
export const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._ -]{0,63}$/u;
export const NAME_MESSAGE = 'must be 1 to 64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit';
/** Free text without control characters. */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/** `?limit=`: 1 to 1000, default 100 (the API's list convention). */
export const PageLimit = (): PropertyDecorator => (target, key) => {
  ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })(target, key);
  IsOptional()(target, key);
  Type(() => Number)(target, key);
  IsInt()(target, key);
  Min(1)(target, key);
  Max(1000)(target, key);
};

export class ListQueryDto {
  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @ValidateBy({ name: 'isPageCursor', validator: { validate: isPageCursor, defaultMessage: () => 'cursor must be the nextCursor of a previous page' } })
  cursor?: string;
}

export const pageOf = (q: ListQueryDto): PageRequest => ({ limit: q.limit ?? 100, cursor: q.cursor ?? null });

/** `?asOf=`: a resource as it was at a moment of the log, an event position or a UTC ISO time. */
export class AsOfQueryDto {
  @ApiPropertyOptional({
    description: 'An event position, or a UTC ISO time: the resource as it was then, rebuilt from the log',
    example: '2026-11-01T12:00:00.000Z',
  })
  @IsOptional()
  @IsString()
  @Matches(/^(\d{1,16}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)$/, { message: 'asOf must be an event position or a UTC ISO time' })
  asOf?: string;
}

export const asOfOf = (q: AsOfQueryDto): AsOf | null => (q.asOf === undefined ? null : parseAsOf(q.asOf));
