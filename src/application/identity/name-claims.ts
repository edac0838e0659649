import { claimDecider } from '../../domain/shared/unique-claim';
import { CommandExecutor } from '../event-sourcing/command-executor';
import { CommandContext } from '../shared/command-context';

export type ClaimKind = 'project' | 'user';

/** Names are unique regardless of case and of Unicode composition. */
export const nameKey = (name: string) => name.normalize('NFC').toLowerCase();
export const nameClaimStream = (kind: ClaimKind, name: string) => `name-${kind}-${nameKey(name)}`;

/** Claims a unique name for `ownerId` (409 NameTaken when someone else has it). */
export async function claimName(executor: CommandExecutor, kind: ClaimKind, name: string, ownerId: string, ctx: CommandContext) {
  await executor.execute(claimDecider, nameClaimStream(kind, name), { type: 'Claim', key: nameKey(name), ownerId }, ctx, {
    waitForReadModels: false,
  });
}

export async function releaseName(executor: CommandExecutor, kind: ClaimKind, name: string, ownerId: string, ctx: CommandContext) {
  await executor.execute(claimDecider, nameClaimStream(kind, name), { type: 'Release', key: nameKey(name), ownerId }, ctx, {
    waitForReadModels: false,
  });
}

/**
 * Creates something that owns a unique name: claim the name, then create; if creating fails,
 * give the name back so that it can be used again.
 */
export async function withClaimedName<T>(
  executor: CommandExecutor,
  kind: ClaimKind,
  name: string,
  ownerId: string,
  ctx: CommandContext,
  create: () => Promise<T>,
): Promise<T> {
  await claimName(executor, kind, name, ownerId, ctx);
  try {
    return await create();
  } catch (error) {
    await releaseName(executor, kind, name, ownerId, ctx).catch(() => undefined);
    throw error;
  }
}
