import { Injectable } from '@nestjs/common';
import { OperationCommand, operationDecider, operationStream } from '../../domain/compute/operation/operation.decider';
import { CommandContext } from '../shared/command-context';
import { CommandExecutor } from '../shared/command-executor';

export type OperationStart = Omit<OperationCommand, 'type' | 'now'>;

/** Records the start of an asynchronous request (its id goes back to the client at once); its progress lives on its resources. */
@Injectable()
export class Operations {
  constructor(private readonly executor: CommandExecutor) {}

  async start(operation: OperationStart, ctx: CommandContext, options: { waitForReadModels?: boolean } = {}): Promise<void> {
    await this.executor.execute(
      operationDecider,
      operationStream(operation.operationId),
      { type: 'StartOperation', ...operation, now: this.executor.now() },
      ctx,
      { waitForReadModels: options.waitForReadModels ?? false, newStream: true },
    );
  }
}
