import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict } from '../../shared/domain-error';

/** An asynchronous request (a launch of N instances): what was asked, for whom. Progress lives on the instances. */
export type OperationEvent = DomainEvent<
  'OperationStarted',
  {
    operationId: string;
    projectId: string;
    kind: 'launch' | 'delete' | 'action' | 'volume-create' | 'volume-attach' | 'volume-detach' | 'volume-delete' | 'snapshot-create' | 'snapshot-delete';
    instanceIds: string[];
    volumeIds?: string[];
    snapshotIds?: string[];
    at: string;
  }
>;
export type OperationCommand = { type: 'StartOperation'; now: string } & Omit<Extract<OperationEvent, { type: 'OperationStarted' }>['data'], 'at'>;
export type OperationState = { status: 'absent' } | { status: 'started'; operationId: string };

export const operationStream = (operationId: string) => `operation-${operationId}`;

export const operationDecider: Decider<OperationState, OperationCommand, OperationEvent> = {
  initialState: () => ({ status: 'absent' }),
  decide(command, state) {
    switch (command.type) {
      case 'StartOperation': {
        if (state.status !== 'absent') throw conflict('OperationExists', 'Operation already exists');
        const { type: _type, now, ...data } = command;
        return [{ type: 'OperationStarted', data: { ...data, at: now } }];
      }
      default:
        return assertNever(command.type);
    }
  },
  evolve(_state, event) {
    return { status: 'started', operationId: event.data.operationId };
  },
};
