// One formatter for money in the UI, so every cost reads with the same precision.

/**
 * Cents as dollars: "$0.00" for nothing; from a dollar up two decimals ("$1.25"); below, up to
 * four decimals but at least two ("$0.05", "$0.0042"); below a hundredth of a cent "<$0.0001".
 */
export function formatCents(cents: number | null | undefined): string {
  if (cents === null || cents === undefined || !Number.isFinite(cents)) return "";
  const dollars = cents / 100;
  if (dollars === 0) return "$0.00";
  if (dollars >= 1) return `$${dollars.toFixed(2)}`;
  if (dollars < 0.0001) return "<$0.0001";
  return `$${dollars.toFixed(4).replace(/(\.\d\d\d?)0+$/, "$1").replace(/(\.\d\d)0$/, "$1")}`;
}
