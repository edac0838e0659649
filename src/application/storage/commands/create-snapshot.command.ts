import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Principal } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { SnapshotAccepted, SnapshotChanges } from '../snapshot-changes';

export class CreateSnapshot {
  constructor(
    readonly volumeId: string,
    readonly name: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(CreateSnapshot)
export class CreateSnapshotHandler implements ICommandHandler<CreateSnapshot, SnapshotAccepted> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly snapshots: SnapshotChanges,
  ) {}

  execute({ volumeId, name, principal, requestId }: CreateSnapshot): Promise<SnapshotAccepted> {
    const snapshotId = this.snapshots.newId();
    return this.snapshots.record(
      { volumeId, principal, requestId, kind: 'snapshot-create', snapshotId },
      { type: 'RequestSnapshot', snapshotId, name, now: this.executor.now() },
    );
  }
}
