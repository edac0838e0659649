/**
 * Per key, the stream version of the latest event that kicked a level-triggered worker. The
 * worker's first read then takes the executor's cached state when it already has that event
 * (this process appended it) and reads the store only otherwise.
 */
export class TriggerVersions {
  private readonly versions = new Map<string, number>();

  note(key: string, version: number): string {
    this.versions.set(key, Math.max(version, this.versions.get(key) ?? 0));
    return key;
  }

  /** The version to require of a cached state (Infinity: nothing noted, read the store), forgotten once taken. */
  take(key: string): number {
    const version = this.versions.get(key) ?? Infinity;
    this.versions.delete(key);
    return version;
  }
}
