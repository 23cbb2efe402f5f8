/**
 * A ratio of two exact counts or minor-unit sums as a decimal string rounded half-up, or null when
 * the denominator is zero: a rate of nothing is unknown, not 0%.
 */
export function ratio(numerator: bigint, denominator: bigint, places = 4): string | null {
  if (denominator === 0n) return null;
  const scale = 10n ** BigInt(places);
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const scaled = (n * scale * 2n + d) / (2n * d);
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(places, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
