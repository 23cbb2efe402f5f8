import { BINS_PER_FEATURE, MISSING_BIN } from './bins.js';

/**
 * One node of a regression tree over binned features, in the form the model is stored (JSON).
 * Children always have higher indices than their parent, which is what makes a stored tree acyclic.
 */
export type TreeNode =
  | { value: number }
  | {
      feature: number;
      /** Numeric split: value bins <= threshold go left. Absent on categorical splits. */
      threshold?: number;
      /** Categorical split: the bins (indices into the feature's levels) that go left. */
      categories?: number[];
      missingLeft: boolean;
      left: number;
      right: number;
    };

/** A tree flattened for prediction: every split is a 256-entry "goes left" table over bins. */
export interface CompiledTree {
  feature: Int32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  goesLeft: Uint8Array;
}

export function goesLeftTable(node: Exclude<TreeNode, { value: number }>): Uint8Array {
  const table = new Uint8Array(BINS_PER_FEATURE);
  if (node.categories) for (const bin of node.categories) table[bin] = 1;
  else for (let b = 0; b <= (node.threshold ?? -1) && b < MISSING_BIN; b++) table[b] = 1;
  table[MISSING_BIN] = node.missingLeft ? 1 : 0;
  return table;
}

export function compileTree(nodes: TreeNode[]): CompiledTree {
  const n = nodes.length;
  const tree: CompiledTree = {
    feature: new Int32Array(n).fill(-1),
    left: new Int32Array(n),
    right: new Int32Array(n),
    value: new Float64Array(n),
    goesLeft: new Uint8Array(n * BINS_PER_FEATURE),
  };
  nodes.forEach((node, i) => {
    if ('value' in node) {
      tree.value[i] = node.value;
      return;
    }
    tree.feature[i] = node.feature;
    tree.left[i] = node.left;
    tree.right[i] = node.right;
    tree.goesLeft.set(goesLeftTable(node), i * BINS_PER_FEATURE);
  });
  return tree;
}

/** Adds this tree's output for every row to `raw`. */
export function addTreeOutput(tree: CompiledTree, columns: Uint8Array[], raw: Float64Array): void {
  const { feature, left, right, value, goesLeft } = tree;
  for (let r = 0; r < raw.length; r++) {
    let node = 0;
    let f = feature[0]!;
    while (f >= 0) {
      node = goesLeft[node * BINS_PER_FEATURE + columns[f]![r]!] ? left[node]! : right[node]!;
      f = feature[node]!;
    }
    raw[r] = raw[r]! + value[node]!;
  }
}
