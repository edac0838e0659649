import { CliError, EXIT } from './cli-error';
import { CloudClient } from './cloud-client';
import { Item, at } from './output';
import { ResourceKind } from './resource-kinds';

/**
 * The id of a resource named by id or by name: an id is tried first; a name must match exactly one
 * resource the caller can see (several are refused as ambiguous, so a script never acts on the wrong one).
 */
export async function resolveId(client: CloudClient, kind: ResourceKind & { name: string }, idOrName: string): Promise<string> {
  try {
    const found = await client.get<Item>(`${kind.path}/${encodeURIComponent(idOrName)}`);
    return String(at(found, 'id') ?? at(found, 'name'));
  } catch (error) {
    if (!(error instanceof CliError) || error.exitCode !== EXIT.NOT_FOUND) throw error;
  }
  const candidates = await client.list<Item>(kind.nameFilter ? `${kind.path}?name=${encodeURIComponent(idOrName)}` : kind.path);
  const matching = candidates.filter((item) => at(item, 'name') === idOrName);
  if (matching.length === 0) throw new CliError(EXIT.NOT_FOUND, `no ${kind.name.replace(/s$/, '')} "${idOrName}"`);
  if (matching.length > 1) {
    throw new CliError(EXIT.REFUSED, `${matching.length} ${kind.name} are named "${idOrName}": use an id (${matching.map((m) => at(m, 'id')).join(', ')})`);
  }
  return String(at(matching[0], 'id'));
}
