/** The five gates of a work packet, in order (README, "Sessions"). */
export const GATES = ['G1', 'G2', 'G3', 'G4', 'G5'] as const;
export type GateId = (typeof GATES)[number];
