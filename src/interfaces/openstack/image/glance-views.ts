import { ImageView } from '../../../application/compute/ports/compute-read-model.port';

/** An image as Glance v2 shows it: the bare object, every image public here. */
export const glanceImage = (i: ImageView) => ({
  id: i.id,
  name: i.name,
  status: 'active',
  visibility: 'public',
  protected: false,
  os_hidden: false,
  disk_format: 'qcow2',
  container_format: 'bare',
  min_disk: i.minDiskGiB,
  min_ram: 0,
  size: null,
  virtual_size: null,
  checksum: null,
  os_hash_algo: null,
  os_hash_value: null,
  owner: null,
  os_distro: i.os,
  created_at: i.createdAt,
  updated_at: i.createdAt,
  tags: [],
  self: `/v2/images/${i.id}`,
  file: `/v2/images/${i.id}/file`,
  schema: '/v2/schemas/image',
});
