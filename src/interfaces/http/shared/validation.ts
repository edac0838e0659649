import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail } from '../../../domain/shared/domain-error';
import { ApiError } from './error-response';

function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** class-validator on every body and query: unknown fields rejected, each bad field listed. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new ApiError(400, 'ValidationFailed', 'The request is not valid', flatten(errors)),
});
