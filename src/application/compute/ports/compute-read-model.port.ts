import { AllocationRatios, HostDriver, Resources } from '../../../domain/compute/host/host.decider';
import { Page, PageRequest } from '../../shared/paging';

export type FlavorView = { id: string; name: string; vcpus: number; ramMiB: number; diskGiB: number; createdAt: string };
export type ImageView = {
  id: string;
  name: string;
  os: string;
  minDiskGiB: number;
  /** Where the image's data is (the image store's file, or a directory registered by an admin); empty while queued. */
  source: string;
  /** Queued: created, its data not uploaded yet (it cannot be booted). */
  status: 'queued' | 'active';
  diskFormat: string;
  containerFormat: string;
  sizeBytes: number | null;
  checksum: string | null;
  hashAlgo: string | null;
  hashValue: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
};
export type KeyPairView = { id: string; projectId: string; name: string; publicKey: string; fingerprint: string; createdAt: string };
export type HostView = {
  id: string;
  name: string;
  driver: HostDriver;
  uri: string | null;
  zone: string;
  enabled: boolean;
  capacity: Resources;
  ratios: AllocationRatios;
  used: Resources;
  free: Resources;
  /** The standalone compute agent driving the host (`npm run agent`), or null when the orchestrator does. */
  agent: string | null;
  createdAt: string;
};

/** Compute's catalog read models. Lookups by name are case-insensitive, like the names themselves. */
export interface ComputeReadModel {
  getFlavor(idOrName: string): Promise<FlavorView | null>;
  listFlavors(page: PageRequest): Promise<Page<FlavorView>>;
  /** Every flavor, however many. */
  allFlavors(): Promise<FlavorView[]>;
  getImage(idOrName: string): Promise<ImageView | null>;
  listImages(page: PageRequest): Promise<Page<ImageView>>;
  getKeyPair(projectId: string, name: string): Promise<KeyPairView | null>;
  listKeyPairs(projectId: string | null, page: PageRequest): Promise<Page<KeyPairView>>;
  getHost(idOrName: string): Promise<HostView | null>;
  listHosts(page: PageRequest): Promise<Page<HostView>>;
  /** Every registered host, however many (for work over all of them, not for pages of an API). */
  allHosts(): Promise<HostView[]>;
}
export const COMPUTE_READ_MODEL = Symbol('ComputeReadModel');
