#!/usr/bin/env bash
# Makes this machine a compute host for the real drivers, idempotently: installs libvirt, QEMU,
# Open vSwitch and the guest-image tools from Debian's packages if missing, configures QEMU to run
# as root (with the default unprivileged user, /dev/kvm is unusable and libvirt re-probes QEMU on
# every call: ~43 s per define), and starts virtlogd, libvirtd, ovsdb-server and ovs-vswitchd
# (there is no systemd here). Exits non-zero if a daemon cannot be brought up.
set -euo pipefail
source "$(dirname "$0")/debian-packages.sh"

PACKAGES=(libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils openvswitch-switch cpio busybox-static genisoimage iproute2 iputils-ping iptables syslinux mtools dosfstools)

ensure_debian_packages virt "${PACKAGES[@]}"

# QEMU as root: see the header. Applied before libvirtd starts (it reads qemu.conf once).
QEMU_CONF=/etc/libvirt/qemu.conf
restart_libvirtd=0
for key in user group; do
  if ! grep -q "^${key} = \"root\"" "$QEMU_CONF"; then
    echo "${key} = \"root\"" >>"$QEMU_CONF"
    restart_libvirtd=1
  fi
done

running() { pgrep -x "$1" >/dev/null 2>&1; }

running virtlogd || virtlogd -d
if running libvirtd && [ "$restart_libvirtd" = 1 ]; then
  pkill -x libvirtd
  for _ in $(seq 1 50); do running libvirtd || break; sleep 0.1; done
fi
running libvirtd || libvirtd -d

# Open vSwitch with the userspace (netdev) datapath: there is no kernel module on these machines.
mkdir -p /var/run/openvswitch /etc/openvswitch /var/log/openvswitch
[ -f /etc/openvswitch/conf.db ] || ovsdb-tool create /etc/openvswitch/conf.db /usr/share/openvswitch/vswitch.ovsschema
if ! running ovsdb-server; then
  ovsdb-server /etc/openvswitch/conf.db --remote=punix:/var/run/openvswitch/db.sock --pidfile --detach --log-file=/var/log/openvswitch/ovsdb-server.log
fi
ovs-vsctl --no-wait init
running ovs-vswitchd || ovs-vswitchd --pidfile --detach --log-file=/var/log/openvswitch/ovs-vswitchd.log

# cgroup v1: libvirt makes the cpuset group `machine` when the first guest starts. Once, in CI, the
# first two guests (two suites at once) failed with "…/emulator/tasks: No space left on device", the
# mark of a cpuset with no CPUs or memory nodes yet; made beforehand with the root's, no start finds it empty.
cpusets=/sys/fs/cgroup/cpuset
if [ -w "$cpusets/cpuset.cpus" ]; then
  mkdir -p "$cpusets/machine"
  [ -n "$(cat "$cpusets/machine/cpuset.cpus")" ] || cat "$cpusets/cpuset.cpus" > "$cpusets/machine/cpuset.cpus"
  [ -n "$(cat "$cpusets/machine/cpuset.mems")" ] || cat "$cpusets/cpuset.mems" > "$cpusets/machine/cpuset.mems"
fi

# Ready means answering: virtlogd's socket too (without it every guest start fails), and
# ovs-vswitchd, not just its database. A daemon found dying by the checks above is started again.
for _ in $(seq 1 100); do
  [ -S /run/libvirt/virtlogd-sock ] || running virtlogd || virtlogd -d
  running libvirtd || libvirtd -d
  if [ -S /run/libvirt/virtlogd-sock ] && virsh -c qemu:///system list --all >/dev/null 2>&1 &&
    ovs-vsctl --timeout=2 show >/dev/null 2>&1 && ovs-appctl -t ovs-vswitchd --timeout=2 version >/dev/null 2>&1; then
    echo "virt: virtlogd, libvirtd and Open vSwitch ready"
    exit 0
  fi
  sleep 0.2
done
echo "virt: virtlogd, libvirtd or Open vSwitch did not come up" >&2
exit 1
