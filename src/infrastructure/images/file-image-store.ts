import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImageStore } from '../../application/compute/ports/image-store.port';
import { ApplicationError } from '../../application/shared/application-error';
import { ImageData } from '../../domain/compute/image/image.decider';
import { invalid } from '../../domain/shared/domain-error';

/**
 * Image data as files of one directory, `<image id>.<disk format>` (a qcow2 file is what the libvirt
 * block storage backs root volumes with). A write goes to a temporary file, hashed on the way,
 * and is renamed into place only when whole.
 */
export class FileImageStore implements ImageStore {
  constructor(private readonly dir: string) {}

  async write(imageId: string, diskFormat: string, data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<ImageData> {
    if (!/^img-[0-9a-f]{1,64}$/.test(imageId) || !/^[a-z0-9]{1,16}$/.test(diskFormat)) throw invalid('InvalidImage', 'Bad image id or disk format');
    fs.mkdirSync(this.dir, { recursive: true });
    const target = path.join(this.dir, `${imageId}.${diskFormat}`);
    const tmp = `${target}.${randomUUID()}.uploading`;
    const md5 = createHash('md5');
    const sha512 = createHash('sha512');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new ApplicationError('too_large', 'ImageTooLarge', `The image is larger than the ${maxBytes} bytes accepted`));
        md5.update(chunk);
        sha512.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(data, measure, fs.createWriteStream(tmp, { flags: 'wx' }));
      fs.renameSync(tmp, target);
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    return { source: target, sizeBytes: size, checksum: md5.digest('hex'), hashAlgo: 'sha512', hashValue: sha512.digest('hex') };
  }

  read(source: string): AsyncIterable<Uint8Array> | null {
    if (!this.owns(source) || !fs.existsSync(source)) return null;
    return fs.createReadStream(source);
  }

  async discard(source: string): Promise<void> {
    if (this.owns(source)) fs.rmSync(source, { force: true });
  }

  private owns(source: string): boolean {
    return path.dirname(path.resolve(source)) === path.resolve(this.dir);
  }
}
