import { ImageState, imageDecider, imageStream } from '../../../domain/compute/image/image.decider';
import { CommandExecutor } from '../../shared/command-executor';

export type ActiveImage = Exclude<ImageState, { status: 'absent' }>;

/** An active image from its own stream (cached after the first read; images do not change), or null. */
export async function activeImage(executor: CommandExecutor, imageId: string): Promise<ActiveImage | null> {
  const { state } = await executor.load(imageDecider, imageStream(imageId), { cached: true });
  return state.status === 'active' ? state : null;
}
