/**
 * ROC AUC, exact: the Mann-Whitney statistic over the ranks of the scores, tied scores sharing the
 * average of their ranks (so a tie between a positive and a negative counts one half). NaN when one
 * class is absent, where the AUC is undefined.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`rocAuc: ${n} scores but ${labels.length} labels`);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && scores[order[j]!]! === scores[order[i]!]!) j++;
    // Ranks i+1 .. j (1-based) are tied: each gets their mean.
    const meanRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        positiveRankSum += meanRank;
      }
    }
    i = j;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
