import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_FILES, PROTO_LOADER_OPTIONS, protoRoot } from '../../src/interfaces/grpc/grpc-options';

export type GrpcFailure = {
  code: grpc.status;
  details: string;
  errorCode: string | undefined;
  requestId: string | undefined;
  errorDetails: unknown;
  retryAfter: string | undefined;
};

/** A decoded message, as loosely typed as supertest's response bodies (the tests assert its shape). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GrpcMessage = Record<string, any>;

type AnyClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

/** A plain @grpc/grpc-js client of the orchestrator's services, with promises for unary calls. */
export class OrchestratorGrpcClient {
  private readonly clients: Record<string, AnyClient>;

  constructor(address: string) {
    const root = protoRoot();
    const definition = protoLoader.loadSync(
      PROTO_FILES.map((file) => path.join(root, 'orchestrator', 'v1', file)),
      { ...PROTO_LOADER_OPTIONS, includeDirs: [root] },
    );
    const v1 = (grpc.loadPackageDefinition(definition).orchestrator as grpc.GrpcObject).v1 as grpc.GrpcObject;
    const make = (service: string) => new (v1[service] as grpc.ServiceClientConstructor)(address, grpc.credentials.createInsecure()) as unknown as AnyClient;
    this.clients = { Identity: make('Identity'), Compute: make('Compute'), Network: make('Network'), Storage: make('Storage'), Events: make('Events') };
  }

  /** Resolves with the response, or rejects with a GrpcFailure. */
  call<T = GrpcMessage>(service: string, method: string, request: object, token?: string, extra: Record<string, string> = {}): Promise<T> {
    const metadata = metadataFor(token, extra);
    return new Promise((resolve, reject) => {
      this.clients[service][method](request, metadata, (error: grpc.ServiceError | null, response: T) => {
        if (error) reject(failureOf(error));
        else resolve(response);
      });
    });
  }

  /** The failure a call ends with; fails the test if the call succeeds. */
  async failure(service: string, method: string, request: object, token?: string): Promise<GrpcFailure> {
    const outcome = await this.call(service, method, request, token).then(
      (response) => ({ response }),
      (failure: GrpcFailure) => ({ failure }),
    );
    if ('response' in outcome) throw new Error(`${service}.${method} succeeded: ${JSON.stringify(outcome.response)}`);
    return outcome.failure;
  }

  stream(service: string, method: string, request: object, token?: string): grpc.ClientReadableStream<GrpcMessage> {
    return this.clients[service][method](request, metadataFor(token, {})) as grpc.ClientReadableStream<GrpcMessage>;
  }

  close(): void {
    for (const client of Object.values(this.clients)) client.close();
  }
}

function metadataFor(token: string | undefined, extra: Record<string, string>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  for (const [key, value] of Object.entries(extra)) metadata.set(key, value);
  return metadata;
}

export function failureOf(error: grpc.ServiceError): GrpcFailure {
  const text = (key: string) => {
    const [value] = error.metadata?.get(key) ?? [];
    return typeof value === 'string' ? value : undefined;
  };
  const details = text('error-details');
  return {
    code: error.code,
    details: error.details,
    errorCode: text('error-code'),
    requestId: text('request-id'),
    errorDetails: details ? JSON.parse(details) : [],
    retryAfter: text('retry-after'),
  };
}
