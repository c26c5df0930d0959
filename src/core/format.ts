// Sizes in the words every front door uses (walk's skip reasons, the extension's download progress
// and cache messages, the webview's file sizes): one formatter, so "2 MB" means the same everywhere.

/** Bytes for people: "512 B", "1.5 KB", "12.3 MB", "2 GB" (binary units, one decimal, none when whole). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;
  let value = bytes;
  let unit = 0;
  // 1023.96 KB would print as "1024 KB": it moves up a unit once it rounds to 1024.
  while (value >= (unit === 0 ? 1024 : 1023.95) && unit < units.length - 1) { value /= 1024; unit++; }
  if (unit === 0) return `${bytes} B`;
  // One decimal, dropped when it is zero: "2 MB" for a 2 MiB limit, "1.5 KB" otherwise.
  return `${value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}
