import { ImageData } from '../../../domain/compute/image/image.decider';

/**
 * Where uploaded image data lives (a directory of files here). Data is streamed in and out, never
 * held whole in memory; its size and digests are computed on the way in.
 */
export interface ImageStore {
  /** Stores the data of an image, refusing more than `maxBytes` (413); answers where it is and its size and digests. */
  write(imageId: string, diskFormat: string, data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<ImageData>;
  /** The stored data of a source, or null when the source is not a file of this store (an admin-registered directory). */
  read(source: string): AsyncIterable<Uint8Array> | null;
  /** Removes stored data no image records (a write whose record failed). */
  discard(source: string): Promise<void>;
}
export const IMAGE_STORE = Symbol('ImageStore');

/** The largest image upload accepted (ORCH_IMAGE_MAX_BYTES). */
export const IMAGE_MAX_BYTES = Symbol('ImageMaxBytes');
