import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, invalid, notFound } from '../../shared/domain-error';

/** What an uploaded image's data is: where the image store keeps it, its size and digests (Glance's checksum and multihash). */
export type ImageData = { source: string; sizeBytes: number; checksum: string; hashAlgo: string; hashValue: string };

/**
 * An image. Registered with its data already in place (`ImageRegistered`, active at once), or created
 * empty (`ImageCreated`, queued, as Glance does) and made active when its data is uploaded.
 */
export type ImageEvent =
  | DomainEvent<'ImageRegistered', { imageId: string; name: string; os: string; minDiskGiB: number; source: string; at: string }>
  | DomainEvent<
      'ImageCreated',
      { imageId: string; name: string; os: string; minDiskGiB: number; diskFormat: string; containerFormat: string; tags: string[]; at: string }
    >
  | DomainEvent<'ImageDataUploaded', { imageId: string; at: string } & ImageData>
  | DomainEvent<'ImageTagAdded', { imageId: string; tag: string; at: string }>
  | DomainEvent<'ImageTagRemoved', { imageId: string; tag: string; at: string }>
  | DomainEvent<'ImageDeleted', { imageId: string; name: string; at: string }>;

export type ImageCommand =
  | { type: 'RegisterImage'; imageId: string; name: string; os: string; minDiskGiB: number; source: string; now: string }
  | {
      type: 'CreateImage';
      imageId: string;
      name: string;
      os: string;
      minDiskGiB: number;
      diskFormat: string;
      containerFormat: string;
      tags: string[];
      now: string;
    }
  | ({ type: 'RecordUpload'; now: string } & ImageData)
  | { type: 'AddTag'; tag: string; now: string }
  | { type: 'RemoveTag'; tag: string; now: string }
  | { type: 'DeleteImage'; now: string };

export type ImageState =
  | { status: 'absent' }
  | { status: 'queued' | 'active' | 'deleted'; imageId: string; name: string; minDiskGiB: number; source: string; tags: readonly string[] };

export const imageStream = (imageId: string) => `image-${imageId}`;

/** Glance's limits: 128 tags of at most 255 characters. */
export const MAX_IMAGE_TAGS = 128;
const TAG = /^[^\p{Cc},/]{1,255}$/u;

function assertMinDisk(minDiskGiB: number): void {
  if (!Number.isInteger(minDiskGiB) || minDiskGiB < 0 || minDiskGiB > 65_536) {
    throw invalid('InvalidImage', 'minDiskGiB must be an integer from 0 to 65536', [{ field: 'minDiskGiB', message: 'out of range' }]);
  }
}

function assertTag(tag: string): void {
  if (!TAG.test(tag))
    throw invalid('InvalidImageTag', 'A tag is 1 to 255 characters, without control characters, commas or slashes', [{ field: 'tag', message: 'invalid' }]);
}

export const imageDecider: Decider<ImageState, ImageCommand, ImageEvent> = {
  initialState: () => ({ status: 'absent' }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterImage': {
        if (state.status !== 'absent') throw conflict('ImageExists', `Image ${command.imageId} already exists`);
        assertMinDisk(command.minDiskGiB);
        const { imageId, name, os, minDiskGiB, source, now } = command;
        return [{ type: 'ImageRegistered', data: { imageId, name, os, minDiskGiB, source, at: now } }];
      }
      case 'CreateImage': {
        if (state.status !== 'absent') throw conflict('ImageExists', `Image ${command.imageId} already exists`);
        assertMinDisk(command.minDiskGiB);
        command.tags.forEach(assertTag);
        if (command.tags.length > MAX_IMAGE_TAGS) throw invalid('TooManyImageTags', `An image has at most ${MAX_IMAGE_TAGS} tags`);
        const { imageId, name, os, minDiskGiB, diskFormat, containerFormat, now } = command;
        return [{ type: 'ImageCreated', data: { imageId, name, os, minDiskGiB, diskFormat, containerFormat, tags: [...new Set(command.tags)], at: now } }];
      }
      case 'RecordUpload': {
        if (state.status === 'absent' || state.status === 'deleted') throw notFound('ImageNotFound', 'Image not found');
        if (state.status !== 'queued') throw conflict('ImageDataExists', 'The image already has its data; image data cannot be replaced');
        const { source, sizeBytes, checksum, hashAlgo, hashValue, now } = command;
        return [{ type: 'ImageDataUploaded', data: { imageId: state.imageId, source, sizeBytes, checksum, hashAlgo, hashValue, at: now } }];
      }
      case 'AddTag':
        if (state.status === 'absent' || state.status === 'deleted') throw notFound('ImageNotFound', 'Image not found');
        assertTag(command.tag);
        if (state.tags.includes(command.tag)) return [];
        if (state.tags.length >= MAX_IMAGE_TAGS) throw conflict('TooManyImageTags', `An image has at most ${MAX_IMAGE_TAGS} tags`);
        return [{ type: 'ImageTagAdded', data: { imageId: state.imageId, tag: command.tag, at: command.now } }];
      case 'RemoveTag':
        if (state.status === 'absent' || state.status === 'deleted') throw notFound('ImageNotFound', 'Image not found');
        if (!state.tags.includes(command.tag)) throw notFound('ImageTagNotFound', `The image has no tag "${command.tag}"`);
        return [{ type: 'ImageTagRemoved', data: { imageId: state.imageId, tag: command.tag, at: command.now } }];
      case 'DeleteImage':
        if (state.status === 'absent' || state.status === 'deleted') throw notFound('ImageNotFound', 'Image not found');
        return [{ type: 'ImageDeleted', data: { imageId: state.imageId, name: state.name, at: command.now } }];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ImageRegistered': {
        const { imageId, name, minDiskGiB, source } = event.data;
        return { status: 'active', imageId, name, minDiskGiB, source, tags: [] };
      }
      case 'ImageCreated': {
        const { imageId, name, minDiskGiB, tags } = event.data;
        return { status: 'queued', imageId, name, minDiskGiB, source: '', tags };
      }
      case 'ImageDataUploaded':
        return state.status === 'absent' ? state : { ...state, status: 'active', source: event.data.source };
      case 'ImageTagAdded':
        return state.status === 'absent' ? state : { ...state, tags: [...state.tags, event.data.tag] };
      case 'ImageTagRemoved':
        return state.status === 'absent' ? state : { ...state, tags: state.tags.filter((t) => t !== event.data.tag) };
      case 'ImageDeleted':
        return state.status === 'absent' ? state : { ...state, status: 'deleted' };
      default:
        return assertNever(event);
    }
  },
};
