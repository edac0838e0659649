import { ImageView } from '../../../application/compute/ports/compute-read-model.port';

/** An image as Glance v2 shows it: the bare object; every image is public here (only admins create them). */
export const glanceImage = (i: ImageView) => ({
  id: i.id,
  name: i.name,
  status: i.status,
  visibility: 'public',
  protected: false,
  os_hidden: false,
  disk_format: i.diskFormat,
  container_format: i.containerFormat,
  min_disk: i.minDiskGiB,
  min_ram: 0,
  size: i.sizeBytes,
  virtual_size: null,
  checksum: i.checksum,
  os_hash_algo: i.hashAlgo,
  os_hash_value: i.hashValue,
  owner: null,
  os_distro: i.os,
  created_at: i.createdAt,
  updated_at: i.updatedAt,
  tags: i.tags,
  self: `/v2/images/${i.id}`,
  file: `/v2/images/${i.id}/file`,
  schema: '/v2/schemas/image',
});
