/**
 * The losses' ids in the WebAssembly kernels: the loss registry's positions, generated into
 * loss-ids.generated.ts and assembly/loss-ids.generated.ts (scripts/activation-ids.mjs), and the
 * sets the bindings need, read from the registry's entries.
 */
import { LOSS_DEFS, LOSS_NAMES, type LossName } from '../loss-registry.js';
import { LOSS_IDS } from './loss-ids.generated.js';

/** Each loss's id in assembly/losses.ts. */
export const LOSS_KIND: Readonly<Record<LossName, number>> = LOSS_IDS;

/** The id of the sparse loss, whose targets are `rows` class indices rather than rows x cols (the registry's one `sparse` entry). */
export const SPARSE_LOSS: number = LOSS_IDS[LOSS_NAMES.find((n) => LOSS_DEFS[n].sparse)!];

/** The losses with a fused gradient at the pre-activation (Backend.fusedLossGradient): those with a fused activation. */
export const FUSED_LOSSES: ReadonlySet<string> = new Set<LossName>(LOSS_NAMES.filter((n) => LOSS_DEFS[n].fusedActivation !== null));
