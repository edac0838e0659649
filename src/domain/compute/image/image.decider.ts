import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, invalid, notFound } from '../../shared/domain-error';

export type ImageEvent =
  | DomainEvent<'ImageRegistered', { imageId: string; name: string; os: string; minDiskGiB: number; source: string; at: string }>
  | DomainEvent<'ImageDeleted', { imageId: string; name: string; at: string }>;

export type ImageCommand =
  { type: 'RegisterImage'; imageId: string; name: string; os: string; minDiskGiB: number; source: string; now: string } | { type: 'DeleteImage'; now: string };

export type ImageState = { status: 'absent' } | { status: 'active' | 'deleted'; imageId: string; name: string; minDiskGiB: number; source: string };

export const imageStream = (imageId: string) => `image-${imageId}`;

export const imageDecider: Decider<ImageState, ImageCommand, ImageEvent> = {
  initialState: () => ({ status: 'absent' }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterImage': {
        if (state.status !== 'absent') throw conflict('ImageExists', `Image ${command.imageId} already exists`);
        if (!Number.isInteger(command.minDiskGiB) || command.minDiskGiB < 0 || command.minDiskGiB > 65_536) {
          throw invalid('InvalidImage', 'minDiskGiB must be an integer from 0 to 65536', [{ field: 'minDiskGiB', message: 'out of range' }]);
        }
        const { imageId, name, os, minDiskGiB, source, now } = command;
        return [{ type: 'ImageRegistered', data: { imageId, name, os, minDiskGiB, source, at: now } }];
      }
      case 'DeleteImage':
        if (state.status !== 'active') throw notFound('ImageNotFound', 'Image not found');
        return [{ type: 'ImageDeleted', data: { imageId: state.imageId, name: state.name, at: command.now } }];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ImageRegistered': {
        const { imageId, name, minDiskGiB, source } = event.data;
        return { status: 'active', imageId, name, minDiskGiB, source };
      }
      case 'ImageDeleted':
        return state.status === 'absent' ? state : { ...state, status: 'deleted' };
      default:
        return assertNever(event);
    }
  },
};
