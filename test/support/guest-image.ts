/** The test guest image (scripts/build-guest-image.sh builds it there). */
export const GUEST_IMAGE_DIR = process.env.ORCH_GUEST_IMAGE_DIR || '/var/lib/orchestrator/images/busybox-guest';
