import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { LifecycleEvent } from '../../../application/compute/ports/hypervisor-driver.port';
import { instanceOfDomain } from '../../libvirt/names';

/**
 * `virsh event --loop --all` as a stream of lifecycle events, running while anyone listens and
 * restarted (after a second) if it exits: "event 'lifecycle' for domain 'orch-…': Stopped Destroyed".
 */
export class LifecycleWatcher {
  private readonly listeners = new Set<(event: LifecycleEvent) => void>();
  private child: ChildProcess | null = null;
  private restart: NodeJS.Timeout | null = null;

  constructor(private readonly uri: string) {}

  add(listener: (event: LifecycleEvent) => void): () => void {
    this.listeners.add(listener);
    this.ensureRunning();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.close();
    };
  }

  close(): void {
    if (this.restart) clearTimeout(this.restart);
    this.restart = null;
    const child = this.child;
    this.child = null;
    child?.kill();
  }

  private ensureRunning(): void {
    if (this.child || this.listeners.size === 0) return;
    const child = spawn('virsh', ['-c', this.uri, 'event', '--loop', '--all'], { stdio: ['ignore', 'pipe', 'ignore'] });
    this.child = child;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = parseEvent(line);
      if (event) for (const listener of this.listeners) listener(event);
    });
    child.on('exit', () => {
      if (this.child !== child) return;
      this.child = null;
      if (this.listeners.size > 0) {
        this.restart = setTimeout(() => this.ensureRunning(), 1_000);
        this.restart.unref();
      }
    });
    child.on('error', () => undefined);
  }
}

export function parseEvent(line: string, at = new Date().toISOString()): LifecycleEvent | null {
  const match = /^event '(\w+)' for domain '([^']+)'(?::\s*(\w+)\s*(\w*))?/.exec(line.trim());
  if (!match) return null;
  const instanceId = instanceOfDomain(match[2]);
  if (!instanceId) return null;
  const [, type, , what, detail] = match;
  if (type === 'reboot') return { instanceId, kind: 'rebooted', at };
  if (type !== 'lifecycle') return null;
  if (what === 'Started' || what === 'Resumed') return { instanceId, kind: 'started', at };
  if (what === 'Stopped') return { instanceId, kind: detail === 'Crashed' || detail === 'Failed' ? 'crashed' : 'stopped', at };
  if (what === 'Crashed') return { instanceId, kind: 'crashed', at };
  if (what === 'Undefined') return { instanceId, kind: 'undefined', at };
  return null;
}
