import * as fs from 'node:fs';
import * as path from 'node:path';
import { GrpcOptions, Transport } from '@nestjs/microservices';

export const PROTO_FILES = ['identity.proto', 'compute.proto', 'network.proto', 'storage.proto', 'events.proto'];

/** The proto directory at the project's root, found from wherever this file runs (src/ under ts-node or jest, dist/ after a build). */
export function protoRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'proto');
    if (fs.existsSync(path.join(candidate, 'orchestrator', 'v1', 'compute.proto'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no proto/orchestrator/v1 above ${from}`);
  }
}

/**
 * How the protos are read: field names as written (the REST API's camelCase), 64-bit integers as
 * numbers (positions stay far below 2^53), absent fields absent (so "not given" stays distinguishable
 * from zero, as REST's validation needs), and no virtual oneof fields for proto3 `optional`.
 */
export const PROTO_LOADER_OPTIONS = { keepCase: true, longs: Number, enums: String, defaults: false, oneofs: false };

export function grpcOptions(host: string, port: number): GrpcOptions {
  const root = protoRoot();
  return {
    transport: Transport.GRPC,
    options: {
      url: `${host}:${port}`,
      package: 'orchestrator.v1',
      protoPath: PROTO_FILES.map((file) => path.join(root, 'orchestrator', 'v1', file)),
      loader: { ...PROTO_LOADER_OPTIONS, includeDirs: [root] },
    },
  };
}
