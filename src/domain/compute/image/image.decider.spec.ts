import { specFor } from '../../../../test/support/decider-spec';
import { ImageCommand, ImageEvent, imageDecider } from './image.decider';

const now = '2026-12-04T00:00:00.000Z';
const create: ImageCommand = {
  type: 'CreateImage',
  imageId: 'img-1',
  name: 'disk',
  os: 'linux',
  minDiskGiB: 1,
  diskFormat: 'qcow2',
  containerFormat: 'bare',
  tags: ['a', 'a'],
  now,
};
const created: ImageEvent = {
  type: 'ImageCreated',
  data: { imageId: 'img-1', name: 'disk', os: 'linux', minDiskGiB: 1, diskFormat: 'qcow2', containerFormat: 'bare', tags: ['a'], at: now },
};
const data = { source: '/images/img-1.qcow2', sizeBytes: 10, checksum: 'md5', hashAlgo: 'sha512', hashValue: 'sha' };
const uploaded: ImageEvent = { type: 'ImageDataUploaded', data: { imageId: 'img-1', ...data, at: now } };
const spec = specFor(imageDecider);

describe('Image decider', () => {
  it('creates a queued image, each tag once', () => spec.given([]).when(create).then([created]));
  it('takes its data once, and never replaces it', () => {
    spec
      .given([created])
      .when({ type: 'RecordUpload', ...data, now })
      .then([uploaded]);
    spec
      .given([created, uploaded])
      .when({ type: 'RecordUpload', ...data, now })
      .thenThrows('ImageDataExists');
  });
  it('adds a tag it lacks, ignores one it has, and removes only one it has', () => {
    spec
      .given([created])
      .when({ type: 'AddTag', tag: 'b', now })
      .then([{ type: 'ImageTagAdded', data: { imageId: 'img-1', tag: 'b', at: now } }]);
    spec.given([created]).when({ type: 'AddTag', tag: 'a', now }).then([]);
    spec.given([created]).when({ type: 'RemoveTag', tag: 'b', now }).thenThrows('ImageTagNotFound');
    spec.given([created]).when({ type: 'AddTag', tag: 'a/b', now }).thenThrows('InvalidImageTag');
  });
  it('deletes a queued or active image once', () => {
    spec
      .given([created])
      .when({ type: 'DeleteImage', now })
      .then([{ type: 'ImageDeleted', data: { imageId: 'img-1', name: 'disk', at: now } }]);
    spec
      .given([created, { type: 'ImageDeleted', data: { imageId: 'img-1', name: 'disk', at: now } }])
      .when({ type: 'DeleteImage', now })
      .thenThrows('ImageNotFound');
  });
  it('refuses a negative minimum disk', () =>
    spec
      .given([])
      .when({ ...create, minDiskGiB: -1 } as ImageCommand)
      .thenThrows('InvalidImage'));
});
