// How numbers read in the report's text. Fixed en-US formatting so a report does not depend on the machine's locale.

export const UNKNOWN = 'unknown';

export function formatCount(value: number): string {
  return value.toLocaleString('en-US', {maximumFractionDigits: 0});
}

/** Errors are stored in percent already (5 means 5%). */
export function formatPercent(percent: number): string {
  return `${percent.toFixed(percent < 10 ? 2 : 1)}%`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** An ISO timestamp as `YYYY-MM-DD HH:MM UTC`, or as given when it does not parse. */
export function formatTimestamp(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
