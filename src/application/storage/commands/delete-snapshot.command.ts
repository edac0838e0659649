import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Principal } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { SnapshotAccepted, SnapshotChanges } from '../snapshot-changes';

export class DeleteSnapshot {
  constructor(
    readonly volumeId: string,
    readonly snapshotId: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(DeleteSnapshot)
export class DeleteSnapshotHandler implements ICommandHandler<DeleteSnapshot, SnapshotAccepted> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly snapshots: SnapshotChanges,
  ) {}

  execute({ volumeId, snapshotId, principal, requestId }: DeleteSnapshot): Promise<SnapshotAccepted> {
    return this.snapshots.record(
      { volumeId, principal, requestId, kind: 'snapshot-delete', snapshotId },
      { type: 'RequestSnapshotDelete', snapshotId, now: this.executor.now() },
    );
  }
}
