import { DomainError, conflict } from '../../domain/shared/domain-error';
import { claimDecider } from '../../domain/shared/unique-claim';
import { CommandExecutor } from './command-executor';
import { CommandContext } from './command-context';

/** What a unique name belongs to; a keypair's name is unique within its project only. */
export type ClaimKind = 'project' | 'user' | 'flavor' | 'image' | 'host' | 'keypair';

/** Names are unique regardless of case and of Unicode composition. */
export const nameKey = (name: string) => name.normalize('NFC').toLowerCase();
export const nameClaimStream = (kind: ClaimKind, name: string) => `name-${kind}-${nameKey(name)}`;

/**
 * The refusal a claim of `name` would meet, raised before anything is taken when a read model
 * already shows the name in use (the claim stays the authority for a race).
 */
export function assertNameFree(name: string, holder: { name: string } | null): void {
  if (holder && nameKey(holder.name) === nameKey(name)) throw conflict('NameTaken', `The name "${nameKey(name)}" is already in use`);
}

/** Claims `key` on `stream` for `ownerId` (409 NameTaken when someone else holds it). */
export async function claimKey(executor: CommandExecutor, stream: string, key: string, ownerId: string, ctx: CommandContext) {
  await executor.execute(claimDecider, stream, { type: 'Claim', key, ownerId }, ctx, { waitForReadModels: false });
}

/**
 * Claims the first candidate nobody holds, skipping those `used` says are taken (a hint; a lost
 * race moves on to the next). Null when every candidate is held.
 */
export async function claimFirstFree(
  executor: CommandExecutor,
  candidates: Iterable<{ stream: string; key: string }>,
  used: ReadonlySet<string>,
  ownerId: string,
  ctx: CommandContext,
): Promise<string | null> {
  for (const { stream, key } of candidates) {
    if (used.has(key)) continue;
    try {
      await claimKey(executor, stream, key, ownerId, ctx);
      return key;
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'NameTaken')) throw error;
    }
  }
  return null;
}

export async function releaseKey(executor: CommandExecutor, stream: string, key: string, ownerId: string, ctx: CommandContext) {
  await executor.execute(claimDecider, stream, { type: 'Release', key, ownerId }, ctx, { waitForReadModels: false });
}

export const claimName = (executor: CommandExecutor, kind: ClaimKind, name: string, ownerId: string, ctx: CommandContext) =>
  claimKey(executor, nameClaimStream(kind, name), nameKey(name), ownerId, ctx);

export const releaseName = (executor: CommandExecutor, kind: ClaimKind, name: string, ownerId: string, ctx: CommandContext) =>
  releaseKey(executor, nameClaimStream(kind, name), nameKey(name), ownerId, ctx);

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
