#!/usr/bin/env bash
# Builds the test guest image, idempotently: a Debian kernel and a busybox initramfs whose init
# (scripts/guest/init) takes its instance data from a config drive or the kernel command line,
# plus an empty base disk for root-volume overlays, and the same kernel and initramfs as a disk that
# boots by itself (disk.qcow2: a FAT disk with SYSLINUX, what `openstack image create --file` uploads).
# Output directory (default /var/lib/orchestrator/images/busybox-guest): vmlinuz, initrd.img,
# base.qcow2, disk.qcow2. Register it with POST /v1/images { "source": "<that directory>", ... }.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${1:-${ORCH_GUEST_IMAGE_DIR:-/var/lib/orchestrator/images/busybox-guest}}"
STAMP="$OUT/.built-from"
WANT="$(sha256sum scripts/guest/init scripts/build-guest-image.sh | sha256sum | cut -c1-16)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -f "$OUT/vmlinuz" ] && [ -f "$OUT/initrd.img" ] && [ -f "$OUT/base.qcow2" ] && [ -f "$OUT/disk.qcow2" ]; then
  echo "guest image: up to date in $OUT"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
KERNEL_PKG="$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | sed -n 1p)"
[ -n "$KERNEL_PKG" ] || { echo "guest image: no linux-image package found" >&2; exit 1; }
echo "guest image: building from $KERNEL_PKG into $OUT"
(cd "$WORK" && apt-get download "$KERNEL_PKG" >/dev/null 2>&1) || { apt-get update -qq && (cd "$WORK" && apt-get download "$KERNEL_PKG" >/dev/null 2>&1); }
dpkg-deb -x "$WORK"/linux-image-*.deb "$WORK/kernel"
MODULES="$(ls -d "$WORK"/kernel/lib/modules/*)"

ROOT="$WORK/initramfs"
mkdir -p "$ROOT/bin" "$ROOT/lib/modules" "$ROOT/etc"
cp "$(dpkg -L busybox-static | grep -m 1 '/bin/busybox$')" "$ROOT/bin/busybox"
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk e1000 cdrom isofs button evdev; do
  f="$(find "$MODULES" -name "$m.ko*" | sed -n 1p)"
  [ -n "$f" ] || { echo "guest image: module $m not in $KERNEL_PKG" >&2; exit 1; }
  case "$f" in
    *.xz) xz -dc "$f" >"$ROOT/lib/modules/$m.ko" ;;
    *.zst) zstd -dqc "$f" >"$ROOT/lib/modules/$m.ko" ;;
    *) cp "$f" "$ROOT/lib/modules/$m.ko" ;;
  esac
done
install -m 0755 scripts/guest/init "$ROOT/init"
echo "root:x:0:0:root:/root:/bin/sh" >"$ROOT/etc/passwd"

mkdir -p "$OUT"
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -9) >"$OUT/initrd.img.tmp"
cp "$WORK"/kernel/boot/vmlinuz-* "$OUT/vmlinuz.tmp"
[ -f "$OUT/base.qcow2" ] || qemu-img create -q -f qcow2 "$OUT/base.qcow2" 1G
mv "$OUT/initrd.img.tmp" "$OUT/initrd.img"
mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"

# The bootable disk: no partition table, one FAT file system whose boot sector is SYSLINUX's (the
# BIOS runs it as the disk's first sector). The instance data comes from the config drive.
DISK="$WORK/disk.raw"
dd if=/dev/zero of="$DISK" bs=1M count=64 status=none
mkfs.vfat -n ORCHGUEST "$DISK" >/dev/null
printf 'DEFAULT guest\nPROMPT 0\nTIMEOUT 0\nLABEL guest\n  KERNEL vmlinuz\n  INITRD initrd.img\n  APPEND console=ttyS0 quiet panic=-1 no_timer_check\n' >"$WORK/syslinux.cfg"
mcopy -i "$DISK" "$OUT/vmlinuz" ::vmlinuz
mcopy -i "$DISK" "$OUT/initrd.img" ::initrd.img
mcopy -i "$DISK" "$WORK/syslinux.cfg" ::syslinux.cfg
syslinux --install "$DISK"
qemu-img convert -q -f raw -O qcow2 "$DISK" "$OUT/disk.qcow2.tmp"
mv "$OUT/disk.qcow2.tmp" "$OUT/disk.qcow2"
echo "$WANT" >"$STAMP"
echo "guest image: built in $OUT"
