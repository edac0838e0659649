/** What a volume's growth reserves of the volumeGiB quota: one reservation per size it grows to, given back with the volume. */
export const extendReservation = (volumeId: string, sizeGiB: number) => `${volumeId}:extend:${sizeGiB}`;
