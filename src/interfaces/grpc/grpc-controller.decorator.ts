import { Controller, UseFilters, UseGuards, applyDecorators } from '@nestjs/common';
import { GrpcAuthGuard } from './grpc-auth.guard';
import { GrpcErrorFilter } from './grpc-error.filter';

/** A controller of gRPC methods: authenticated by the bearer metadata, errors mapped to gRPC status codes. */
export const GrpcController = () => applyDecorators(Controller(), UseGuards(GrpcAuthGuard), UseFilters(GrpcErrorFilter));
