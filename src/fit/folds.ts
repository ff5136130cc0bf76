// Cross-validation folds that hold out whole groups, where a group is every sample taken at the same inputs: holding
// out one of several repeats of an ISL would let its twins in the training set vouch for it.

// Up to this many groups each group is its own fold (leave-one-group-out); beyond it, this many folds.
const MAX_FOLDS = 20;

/** Held-out sample indices per fold. Groups are dealt to folds in order of first appearance, round robin, so with
 *  samples sorted along their inputs every fold spans the measured range instead of cutting a slice out of it. */
export function groupFolds(groupKeys: readonly string[]): number[][] {
  const groupOrder = [...new Set(groupKeys)];
  const foldCount = Math.min(groupOrder.length, MAX_FOLDS);
  const foldOfGroup = new Map(groupOrder.map((key, i) => [key, i % foldCount]));
  const folds: number[][] = Array.from({length: foldCount}, () => []);
  groupKeys.forEach((key, index) => folds[foldOfGroup.get(key)!]!.push(index));
  return folds;
}
